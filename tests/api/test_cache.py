"""Repeated library questions: answered from the cache with ETag and Cache-Control, 304 on If-None-Match, and a
write that makes every earlier answer and entity tag stale."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from imri_kg.api import Settings, create_app
from imri_kg.api.cache import ENTRY_OVERHEAD, AnswerCache, Key, entry_size, matches, to_etag
from imri_kg.api.engine import Answer
from tests.api.conftest import TIMEOUT, TOKEN

B = "https://w3id.org/imri/"
QUESTION = "/api/queries/themes-by-innovation-group"
STAFF = {"group": "Staff training", "format": "csv"}
# Table 5: Staff training has 4 themes; this write gives it a fifth (Information gaps), cited by study 133.
WRITE = f"""INSERT DATA {{ GRAPH <{B}graph/kb> {{
  <{B}evidence/test/staff-training-information-gaps> a imri:Example ;
    imri:innovationGroup <{B}group/staff-training> ; imri:theme <{B}theme/information-gaps> ;
    imri:citation <{B}citation/piat2021/133> . }} }}"""
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}


@pytest.fixture
def app_client() -> Iterator[TestClient]:
    """A writable server of its own (one worker, so every answer comes from the same store)."""
    with TestClient(create_app(Settings(timeout=TIMEOUT, write_token=TOKEN, workers=1))) as c:
        yield c


def themes(response) -> list[str]:
    return [line.split(",")[-2] for line in response.text.strip().splitlines()[1:]]


def test_a_repeated_question_is_answered_from_the_cache_with_validators(app_client):
    first = app_client.get(QUESTION, params=STAFF)
    assert first.status_code == 200 and first.headers["x-imri-cache"] == "miss"
    assert len(themes(first)) == 4
    assert first.headers["cache-control"] == "no-cache" and first.headers["etag"].startswith('"')
    again = app_client.get(QUESTION, params=STAFF)
    assert again.headers["x-imri-cache"] == "hit" and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["content-type"] == first.headers["content-type"]
    revalidated = app_client.get(QUESTION, params=STAFF, headers={"If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert revalidated.headers["etag"] == first.headers["etag"]


def test_parameters_and_format_are_part_of_the_key(app_client):
    csv_tag = app_client.get(QUESTION, params=STAFF).headers["etag"]
    json_tag = app_client.get(QUESTION, params={"group": "Staff training"}).headers["etag"]
    other = app_client.get(QUESTION, params={"group": "Peer workers", "format": "csv"})
    assert len({csv_tag, json_tag, other.headers["etag"]}) == 3
    assert other.headers["x-imri-cache"] == "miss" and len(themes(other)) == 4
    by_accept = app_client.get(QUESTION, params={"group": "Staff training"}, headers={"Accept": "text/csv"})
    assert by_accept.headers["etag"] not in (csv_tag, json_tag)
    assert app_client.get(QUESTION, params=STAFF, headers={"If-None-Match": json_tag}).status_code == 200


def test_a_write_makes_stale_answers_impossible(app_client):
    before = app_client.get(QUESTION, params=STAFF)
    assert app_client.get(QUESTION, params=STAFF).headers["x-imri-cache"] == "hit"
    assert "Information gaps about new roles and procedures" not in themes(before)
    assert app_client.post("/sparql", content=WRITE, headers=AUTH).status_code == 200
    # The client's copy is not confirmed, the cached answer is not reused: the question runs on the new data.
    after = app_client.get(QUESTION, params=STAFF, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["x-imri-cache"] == "miss"
    assert after.headers["etag"] != before.headers["etag"]
    assert themes(after) == ["Information gaps about new roles and procedures", *themes(before)]
    assert app_client.get(QUESTION, params=STAFF, headers={"If-None-Match": after.headers["etag"]}).status_code == 304


def test_a_failed_write_still_changes_the_version(app_client):
    pool = app_client.app.state.pool
    version = pool.data_version
    bad = app_client.post("/sparql", content="INSERT DATA { <x> <y> }", headers=AUTH)
    assert bad.status_code == 400 and pool.data_version != version


def test_errors_are_not_kept_and_carry_no_etag(app_client):
    for _ in range(2):
        r = app_client.get(QUESTION, params={"group": "No such group"})
        assert r.status_code == 400 and "etag" not in r.headers and "x-imri-cache" not in r.headers
    assert len(app_client.app.state.cache) == 0


def test_a_new_server_gives_new_tags():
    tags = []
    for _ in range(2):
        with TestClient(create_app(Settings(timeout=TIMEOUT, workers=1))) as c:
            tags.append(c.get(QUESTION, params=STAFF).headers["etag"])
    assert tags[0] != tags[1]


def test_the_cache_is_bounded_and_forgets_older_versions():
    answer = Answer(200, "text/csv", b"12345")
    keys = [Key("q", (("n", str(i)),), None, None, "v1") for i in range(3)]
    one = entry_size(keys[0], answer)  # the three keys differ by one digit: each entry costs the same
    assert one == 5 + (1 + 0 + 0 + 2 + 8 + 1 + 1) + 7 * 50 + ENTRY_OVERHEAD
    cache = AnswerCache(max_bytes=2 * one, max_entry=one)
    for k in keys:
        cache.put(k, answer)
    assert cache.get(keys[0]) is None and cache.get(keys[2]) == answer and cache.size == 2 * one
    cache.put(Key("q", (("n", "9"),), None, None, "v1"), Answer(200, "text/csv", b"123456"))  # one byte too big
    assert len(cache) == 2
    cache.put(Key("q", (), None, None, "v2"), answer)
    assert len(cache) == 1 and cache.get(keys[2]) is None
    cache.put(Key("q", (), None, None, "v2"), Answer(400, "text/plain", b"x"))
    assert cache.get(Key("q", (), None, None, "v2")) == answer


def test_the_cache_counts_its_keys():
    # Issue 17: 10,000 requests with varying parameters grew the process by 126 MB while the cache counted 0.35 MB.
    import tracemalloc

    cache = AnswerCache(max_bytes=1_000_000)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(10_000):
        cache.put(Key("q", (("label", f"{i:06d}" + "x" * 500),), "text/csv", None, "v1"),
                  Answer(200, "text/csv", b"ok"))
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert cache.size <= 1_000_000
    assert len(cache) == 1_000_000 // entry_size(Key("q", (("label", "0" * 506),), "text/csv", None, "v1"),
                                                 Answer(200, "text/csv", b"ok"))
    assert used <= 1_000_000  # what the cache keeps, measured, stays within what it may keep


def test_if_none_match_forms():
    tag = to_etag(Key("q", (), None, None, "v"))
    assert matches(tag, tag) and matches(f'"other", W/{tag}', tag) and matches("*", tag)
    assert not matches(None, tag) and not matches('"other"', tag)
