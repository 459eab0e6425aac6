// Campaign form: the guidelines' Preview tab renders the Markdown through the server, exactly as annotators see it.
(() => {
  const text = document.querySelector('#guidelines');
  const preview = document.querySelector('#guidelines-preview');
  const tabs = document.querySelectorAll('[data-guidelines-tab]');
  if (!text || !preview) {
    return;
  }
  tabs.forEach(tab => tab.addEventListener('click', () => {
    const showPreview = tab.dataset.guidelinesTab === 'preview';
    tabs.forEach(t => t.setAttribute('aria-selected', t === tab ? 'true' : 'false'));
    text.hidden = showPreview;
    preview.hidden = !showPreview;
    if (!showPreview) {
      return;
    }
    window.ranklabRenderMarkdown(text.value, preview);
  }));
})();
