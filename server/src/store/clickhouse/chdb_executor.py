"""Runs ClickHouse SQL on chdb (the ClickHouse engine in-process) for the server's ClickHouse store.

One request per line on stdin, one answer per line on stdout, both JSON:
  {"id": 1, "sql": "...", "params": {"p0": "x"}}  ->  {"id": 1, "text": "<JSONEachRow output>"}
                                                   or {"id": 1, "error": "<message>"}
Statements run one at a time, in the order received, in one session whose data lives in the
directory given as the first argument (a fresh temporary one when none is given).
Used by the tests and the benchmark (server/src/store/clickhouse/chdb-executor.ts); a real
deployment talks to a ClickHouse server through @clickhouse/client instead.
"""

import json
import sys

from chdb import session as chs


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else None
    sess = chs.Session(path) if path else chs.Session()
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            params = req.get("params") or None
            res = sess.query(req["sql"], "JSONEachRow", params=params) if params else sess.query(req["sql"], "JSONEachRow")
            text = res.bytes().decode("utf-8") if hasattr(res, "bytes") else str(res)
            out.write(json.dumps({"id": req["id"], "text": text}) + "\n")
        except Exception as e:  # the engine's error goes back to the caller, which throws it
            out.write(json.dumps({"id": req.get("id"), "error": str(e)}) + "\n")
        out.flush()
    sess.close()


if __name__ == "__main__":
    main()
