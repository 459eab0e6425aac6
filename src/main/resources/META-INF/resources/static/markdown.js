// Renders Markdown into an element through the server, exactly as Ranklab's pages show it (raw HTML escaped,
// unsafe links dropped), for the previews of guidelines and demonstrations.
window.ranklabRenderMarkdown = async (text, target) => {
  target.textContent = 'Rendering…';
  try {
    const response = await fetch('/api/v1/markdown', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text })
    });
    const body = await response.json();
    if (!response.ok) {
      target.textContent = body.detail || 'The preview could not be rendered.';
    } else if (!text.trim()) {
      target.textContent = 'Nothing written yet.';
    } else {
      // The server escaped every raw HTML tag in the text; this is its safe rendering of the Markdown.
      target.innerHTML = body.html;
    }
  } catch (e) {
    target.textContent = 'The preview could not be loaded.';
  }
};
