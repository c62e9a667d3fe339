"""The data interface: auth, per-record validation, idempotence, history, isolation, audit."""

from __future__ import annotations

from sqlalchemy import func, select

from knowledge import case_events
from knowledge.models import Case, CaseStatusHistory, DataPush, Department
from tests.data.conftest import auth, new_case_number, record


def push(client, department, records):
    return client.post("/api/v1/data/cases", json=records, headers=auth(department))


def test_missing_or_wrong_token_is_401(data_client):
    body = [record(new_case_number())]
    assert data_client.post("/api/v1/data/cases", json=body).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert data_client.post("/api/v1/data/cases", json=body, headers=bad).status_code == 401
    assert data_client.get("/api/v1/data/cases/TS1234567890", headers=bad).status_code == 401
    basic = {"Authorization": "Basic dG9rLWNpdmls"}
    assert data_client.post("/api/v1/data/cases", json=body, headers=basic).status_code == 401


def test_body_must_be_a_non_empty_list(data_client):
    for body in ({"case_number": "x"}, [], "text"):
        response = push(data_client, "exit_entry", body)
        assert response.status_code == 422, body
        assert response.json()["error"]
    response = data_client.post("/api/v1/data/cases", content=b"{not json",
                                headers={**auth("exit_entry"), "Content-Type": "application/json"})
    assert response.status_code == 422
    too_many = [record(new_case_number()) for _ in range(5001)]
    assert push(data_client, "exit_entry", too_many).status_code == 422


def test_invalid_records_are_rejected_one_by_one_and_valid_ones_land(data_client):
    good = [new_case_number(), new_case_number()]
    batch = [
        record(good[0]),
        record("12345", applicant_name="李四"),
        record(new_case_number(), matter="moon_landing"),
        record(new_case_number(), phone="12"),
        record(new_case_number(), status="lost in the post"),
        record(new_case_number(), submitted_at="yesterday-ish"),
        record(new_case_number(), submitted_at="2024-05-07", updated_at="2024-05-01"),
        record(new_case_number(), updated_at="2999-01-01T00:00:00Z"),
        record(new_case_number(), applicant_name="  "),
        record(new_case_number(), colour="blue"),
        "not an object",
        record(good[1], status="审核中", phone="13800135678"),
        record(good[0]),  # the same case twice in one batch
    ]
    response = push(data_client, "exit_entry", batch)
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["rejected"]) == (2, 0, 0, 11)
    reasons = {r["index"]: r["reason"] for r in body["rejections"]}
    assert sorted(reasons) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert "case_number" in reasons[1] and "matter" in reasons[2] and "phone" in reasons[3]
    assert "status" in reasons[4] and "submitted_at" in reasons[5] and "before" in reasons[6]
    assert "future" in reasons[7] and "applicant_name" in reasons[8] and "colour" in reasons[9]
    assert "object" in reasons[10] and "duplicate" in reasons[12]
    stored = data_client.get(f"/api/v1/data/cases/{good[1]}", headers=auth("exit_entry")).json()
    assert stored["status"] == "under_review" and stored["phone"] == "13800135678"


def test_push_is_idempotent_and_changes_are_recorded_in_history(data_client, sessions):
    number = new_case_number()
    first = push(data_client, "exit_entry", [record(number)]).json()
    again = push(data_client, "exit_entry", [record(number)]).json()
    assert (first["created"], again["created"], again["unchanged"], again["updated"]) == (1, 0, 1, 0)
    changed = record(number, status="needs_more_documents", note="请补交户口本复印件",
                     updated_at="2024-05-08T10:00:00+08:00")
    assert push(data_client, "exit_entry", [changed]).json()["updated"] == 1
    assert push(data_client, "exit_entry", [changed]).json()["unchanged"] == 1
    case = data_client.get(f"/api/v1/data/cases/{number.lower()}", headers=auth("exit_entry")).json()
    assert case["status"] == "needs_more_documents" and case["note"] == "请补交户口本复印件"
    assert [(h["old_status"], h["new_status"]) for h in case["history"]] == [
        (None, "received"), ("received", "needs_more_documents")]
    assert case["updated_at"] == "2024-05-08T02:00:00Z"
    with sessions() as session:
        count = session.execute(select(func.count()).select_from(CaseStatusHistory).join(Case)
                                .where(Case.case_number == number)).scalar_one()
    assert count == 2


def test_an_older_version_does_not_overwrite_a_newer_one(data_client):
    number = new_case_number()
    push(data_client, "exit_entry", [record(number, status="approved", updated_at="2024-05-09")])
    stale = push(data_client, "exit_entry", [record(number, status="under_review",
                                                    updated_at="2024-05-07")]).json()
    assert stale["rejected"] == 1 and stale["rejections"][0]["reason"].startswith("stale")
    case = data_client.get(f"/api/v1/data/cases/{number}", headers=auth("exit_entry")).json()
    assert case["status"] == "approved"


def test_a_department_cannot_write_or_read_another_departments_case(data_client):
    number = new_case_number()
    push(data_client, "exit_entry", [record(number)])
    assert data_client.get(f"/api/v1/data/cases/{number}", headers=auth("civil_affairs")).status_code == 404
    # Case numbers are per department (issue 15): the same number is civil affairs' own case.
    theirs = record(number, department="civil_affairs", matter="marriage_registration",
                    status="completed", updated_at="2024-06-01")
    answer = push(data_client, "civil_affairs", [theirs]).json()
    assert answer["rejected"] == 0 and answer["created"] == 1
    claimed = push(data_client, "civil_affairs", [record(new_case_number())]).json()
    assert "department" in claimed["rejections"][0]["reason"]
    assert data_client.get("/api/v1/data/cases/TS0000000001", headers=auth("civil_affairs")).status_code == 404
    own = data_client.get(f"/api/v1/data/cases/{number}", headers=auth("exit_entry")).json()
    assert own["status"] == "received" and own["department"] == "exit_entry"
    other = data_client.get(f"/api/v1/data/cases/{number}", headers=auth("civil_affairs")).json()
    assert other["status"] == "completed" and other["department"] == "civil_affairs"


def test_a_department_named_only_in_the_tokens_exists_and_every_push_is_audited(data_client, sessions):
    with sessions() as session:
        assert session.execute(select(Department.id).where(Department.code == "new_dept")).scalar()
        before = session.execute(select(func.count()).select_from(DataPush)).scalar_one()
    batch = [record(new_case_number(), department="new_dept", matter="id_card"),
             record("bad", department="new_dept")]
    body = push(data_client, "new_dept", batch).json()
    assert (body["created"], body["rejected"]) == (1, 1)
    with sessions() as session:
        audit = session.execute(select(DataPush, Department.code).join(Department)
                                .where(DataPush.id == body["push_id"])).one()
        after = session.execute(select(func.count()).select_from(DataPush)).scalar_one()
    push_row, code = audit
    assert code == "new_dept" and push_row.source == "api"
    assert (push_row.total, push_row.created, push_row.updated, push_row.unchanged,
            push_row.rejected) == (2, 1, 0, 0, 1)
    assert after == before + 1


def test_status_change_callbacks_run_after_commit(data_client, sessions):
    seen = []

    def callback(change):
        with sessions() as session:  # the change is already visible to other sessions
            status = session.execute(select(Case.status).where(
                Case.case_number == change.case_number)).scalar_one()
        seen.append((change.case_number, change.department, change.old_status, change.new_status, status))

    case_events.on_status_change(callback)
    try:
        number = new_case_number()
        push(data_client, "exit_entry", [record(number)])
        push(data_client, "exit_entry", [record(number, note="typo fixed", updated_at="2024-05-07")])
        push(data_client, "exit_entry", [record(number, status="ready_for_pickup", updated_at="2024-05-08")])
    finally:
        case_events.remove(callback)
    assert seen == [
        (number, "exit_entry", None, "received", "received"),
        (number, "exit_entry", "received", "ready_for_pickup", "ready_for_pickup"),
    ]
