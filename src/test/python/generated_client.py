"""A researcher's loop through a client generated from Ranklab's OpenAPI document (docs/api.md says how).

Usage: python generated_client.py BASE_URL ADMIN_PASSWORD, with the generated package ranklab_client importable.
Logs in, creates a campaign, imports items, activates it, leases and submits a task as an annotator, exports the
rankings and asks for a training: each call through the generated functions and models, each answer checked.
"""

import io
import json
import sys

from ranklab_client import AuthenticatedClient, Client
from ranklab_client.api.authentication import auth_api_issue
from ranklab_client.api.campaigns import campaign_api_create, campaign_api_update
from ranklab_client.api.exports import export_api_export
from ranklab_client.api.items import item_api_import_items
from ranklab_client.api.reward_model import reward_model_api_train
from ranklab_client.api.tasks import next_task_api_next, task_api_submit
from ranklab_client.api.users import user_api_create
from ranklab_client.models import (
    CampaignInput,
    CampaignInputPatch,
    CampaignKind,
    CampaignStatus,
    CampaignView,
    CreateUser,
    ImportReport,
    Role,
    SubmissionBody,
    SubmissionBodyRatingsType0,
    SubmissionResult,
    TaskView,
    TokenRequest,
    TokenResponse,
    TrainRequest,
)
from ranklab_client.models.export_api_export_format import ExportApiExportFormat
from ranklab_client.types import File


def expect(response, status, what):
    if response.status_code != status:
        raise SystemExit(f"{what}: expected {status}, got {response.status_code}: {response.content!r}")
    return response.parsed


def login(base, username, password):
    answer = expect(auth_api_issue.sync_detailed(client=Client(base_url=base),
                                                 body=TokenRequest(username=username, password=password)),
                    200, "log in as " + username)
    assert isinstance(answer, TokenResponse), answer
    return AuthenticatedClient(base_url=base, token=answer.token)


def main(base, admin_password):
    admin = login(base, "admin", admin_password)

    campaign = expect(campaign_api_create.sync_detailed(client=admin, body=CampaignInput(
        name="Generated client", kind=CampaignKind.RANKING, responses_per_item=2)), 201, "create a campaign")
    assert isinstance(campaign, CampaignView) and campaign.status == CampaignStatus.DRAFT, campaign

    lines = "".join(json.dumps({"externalId": f"gc-{i}", "prompt": f"Explain topic {i}",
                                "responses": [f"A careful explanation of topic {i}.", "No idea."]}) + "\n"
                    for i in range(3))
    report = expect(item_api_import_items.sync_detailed(client=admin, id=campaign.id, body=File(
        payload=io.BytesIO(lines.encode()), file_name="items.jsonl")), 200, "import items")
    assert isinstance(report, ImportReport) and report.imported == 3, report

    active = expect(campaign_api_update.sync_detailed(client=admin, id=campaign.id, body=CampaignInputPatch(
        status=CampaignStatus.ACTIVE)), 200, "activate the campaign")
    assert active.status == CampaignStatus.ACTIVE, active

    expect(user_api_create.sync_detailed(client=admin, body=CreateUser(
        username="gc-annotator", password="gc-annotator-password", role=Role.ANNOTATOR)), 201, "create an annotator")
    annotator = login(base, "gc-annotator", "gc-annotator-password")

    task = expect(next_task_api_next.sync_detailed(client=annotator, id=campaign.id), 200, "lease a task")
    assert isinstance(task, TaskView) and len(task.item.responses) == 2, task
    ids = [response.id for response in task.item.responses]
    result = expect(task_api_submit.sync_detailed(client=annotator, task_id=task.task_id, body=SubmissionBody(
        ranking=[[ids[0]], [ids[1]]], ratings=SubmissionBodyRatingsType0.from_dict({ids[0]: 6, ids[1]: 2}))),
        201, "submit the task")
    assert isinstance(result, SubmissionResult), result

    export = export_api_export.sync_detailed(client=admin, id=campaign.id, format_=ExportApiExportFormat.RANKINGS)
    if export.status_code != 200:
        raise SystemExit(f"export: {export.status_code} {export.content!r}")
    assert export.headers["content-type"].startswith("application/x-ndjson"), export.headers
    rows = [json.loads(line) for line in export.content.decode().splitlines() if line]
    assert len(rows) == 1, rows

    # One ranking is too few to learn from: the document says 409 then, with the reason; 202 when it queues.
    training = reward_model_api_train.sync_detailed(client=admin, body=TrainRequest(campaign_id=campaign.id))
    if training.status_code not in (202, 409):
        raise SystemExit(f"train: {training.status_code} {training.content!r}")
    print(f"generated client: campaign {campaign.id}, task {task.task_id}, {len(rows)} exported ranking, "
          f"training answered {training.status_code}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
