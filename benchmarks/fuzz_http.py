"""HTTP fuzz: the real app fed mutated requests on every endpoint (tests/http_fuzz.py).

    python benchmarks/fuzz_http.py [--cases 10000] [--seed 16]

Builds the serve tests' workspace (an interview, private notes, the agent `mara`) in a
temporary folder, serves it in-process (the real ASGI app through Starlette's TestClient, the
rate limit off, an owner token set) and sends --cases requests made by hypothesis: valid
requests for each endpoint, then mutated (fields dropped or replaced by any JSON, text with
lone surrogates and control characters, bodies cut short or replaced by bytes, paths and
queries of any bytes, made-up headers), and valid questions with odd characters (lone
surrogates, NUL, direction marks) put into the question or an earlier message. Every answer
must be below 500, and every error from /v1 and /api must be OpenAI's
`{"error": {message, type, param, code}}`. Prints the cases, the statuses, the endpoints
reached and every failure; exits 1 when any failed.
Target: 0 failures over >= 10,000 cases.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.http_fuzz import SETTINGS, Request, check, odd_questions, requests, send
from tests.serve_support import build_workspace, variant

from onrecord.serve import create_app

# Route templates, most specific first: a path is counted under the first that it starts with.
ROUTES = [
    ("/api/agents/", "/api/agents/{name}/ask"),
    ("/api/sources/", "/api/sources/{id}"),
    ("/api/search", "/api/search"),
    ("/api/owner/", "/api/owner/insights"),
    ("/v1/models/", "/v1/models/{model}"),
    ("/agents/", "/agents/{name}"),
    ("/sources/", "/sources/{id}"),
    ("/static/", "/static/{name}"),
]


def _endpoint(path: str) -> str:
    path = path.split("?")[0]
    return next((route for prefix, route in ROUTES if path.startswith(prefix)), path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="onrecord-fuzz-") as folder:
        root = variant(build_workspace(Path(folder) / "base"), Path(folder) / "ws", SETTINGS)
        with TestClient(create_app(root), raise_server_exceptions=False) as client:
            sources = [s["id"] for s in client.get("/api/sources").json()["sources"]]
            statuses: Counter[int] = Counter()
            endpoints: Counter[str] = Counter()
            failures: list[str] = []

            @seed(args.seed)
            @settings(
                max_examples=args.cases,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(requests(["mara"], sources) | odd_questions(["mara"]))
            def case(request: Request) -> None:
                response = send(client, request)
                statuses[response.status_code] += 1
                endpoints[f"{request.method} {_endpoint(request.path)}"] += 1
                try:
                    check(request, response.status_code, response.headers.get("content-type", ""), response.content)
                except AssertionError as failure:
                    failures.append(str(failure)[:400])

            began = time.perf_counter()
            case()
            seconds = time.perf_counter() - began
    total = sum(statuses.values())
    print(f"cases: {total:,} in {seconds:.0f} s ({total / seconds:.0f}/s), seed {args.seed}")
    print("statuses: " + ", ".join(f"{status} {n:,}" for status, n in sorted(statuses.items())))
    print(f"5xx: {sum(n for status, n in statuses.items() if status >= 500)}")
    print(f"endpoints reached: {len(endpoints)}")
    for name, n in endpoints.most_common():
        print(f"  {n:>6,}  {name}")
    print(f"failures: {len(failures)}")
    for failure in failures[:20]:
        print("  " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
