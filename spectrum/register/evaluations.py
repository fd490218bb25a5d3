"""Stored licence-request evaluations, and the import/export entry points."""
from __future__ import annotations

import json
from typing import Callable

from .backend import NotFoundError, RegisterError
from .common import _dumps
from .audit import check_limit, parse_since
from .models import _text, check_id
from .sqlite import utc_now


class EvaluationMixin:
    """Evaluation and import/export methods of :class:`~spectrum.register.Register`."""

    def store_evaluation(self, request: dict, result: dict, decision: str, model_versions: dict, user: str,
                         licence_number: str | None = None) -> int:
        """Store a licence-request evaluation (inputs, model versions, result, decision); immutable.

        Returns
        -------
        int
            The evaluation id.
        """
        who = self._who(user)
        dec = _text("decision", decision, max_len=200)
        for name, obj in (("request", request), ("result", result), ("model_versions", model_versions)):
            if not isinstance(obj, dict):
                raise RegisterError(f"{name} must be a dict, not {type(obj).__name__}")
        try:
            payload = [_dumps(request), _dumps(result), _dumps(model_versions)]
        except (TypeError, ValueError) as exc:
            raise RegisterError(f"evaluation is not JSON-serialisable: {exc}") from None
        num = _text("licence_number", licence_number, allow_none=True, max_len=64)
        with self.backend.write():
            cur = self._x("INSERT INTO evaluation (created_utc, who, licence_number, decision, request_json, "
                          "result_json, model_versions_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          (utc_now(), who, num, dec, *payload))
            eid = int(cur.lastrowid)
            self._audit(who, "create", "evaluation", eid,
                        after={"licence": num, "decision": dec, "model_versions": model_versions})
            return eid

    _EVAL_COLS = ("id", "created_utc", "who", "licence_number", "decision", "request_json", "result_json",
                  "model_versions_json")

    def _eval_dict(self, row) -> dict:
        d = dict(zip(self._EVAL_COLS, row))
        return {"id": d["id"], "created_utc": d["created_utc"], "user": d["who"],
                "licence_number": d["licence_number"], "decision": d["decision"],
                "request": json.loads(d["request_json"]), "result": json.loads(d["result_json"]),
                "model_versions": json.loads(d["model_versions_json"])}

    def evaluation(self, id: int) -> dict:
        """A stored evaluation: id, created_utc, user, licence_number, decision, request, result, model_versions."""
        row = self._one(f"SELECT {', '.join(self._EVAL_COLS)} FROM evaluation WHERE id = ?", (check_id("evaluation", id),))
        if row is None:
            raise NotFoundError(f"evaluation {id} is not in the register")
        return self._eval_dict(row)

    def evaluations(self, *, licence_number: str | None = None, decision: str | None = None,
                    user: str | None = None, since: str | None = None, limit: int | None = None) -> list[dict]:
        """Stored evaluations, oldest first, filtered."""
        where, params = ["1 = 1"], []
        for col, val in (("licence_number", licence_number), ("decision", decision), ("who", user)):
            if val is not None:
                where.append(f"{col} = ?")
                params.append(val)
        if since is not None:
            where.append("created_utc >= ?")
            params.append(parse_since(since))
        sql = f"SELECT {', '.join(self._EVAL_COLS)} FROM evaluation WHERE {' AND '.join(where)} ORDER BY id"
        limit = check_limit(limit)
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [self._eval_dict(r) for r in self._x(sql, params)]

    # ------------------------------------------------------------------ import / export
    def export_json(self, path=None, *, licences: bool = True) -> dict:
        """Export everything (library, licences with history, stations, assignments) as a JSON
        document; written atomically to ``path`` if given. Lossless: :meth:`import_json` of it
        into an empty register reproduces the same export."""
        from .transfer import export_document

        return export_document(self, path, licences=licences)

    def import_json(self, path_or_doc, *, user: str | None = None, progress: Callable[[int], None] | None = None
                    ) -> dict:
        """Import a JSON document (as written by :meth:`export_json`) in one transaction; a
        document with any bad record imports nothing and raises ImportRowsError listing them all."""
        from .transfer import import_document

        return import_document(self, path_or_doc, user=self._who(user), progress=progress)

    def export_csv(self, path=None) -> str:
        """Export licences/stations/assignments as one CSV table (a row per assignment)."""
        from .transfer import export_csv

        return export_csv(self, path)

    def import_csv(self, path_or_text, *, user: str | None = None, progress: Callable[[int], None] | None = None
                   ) -> dict:
        """Import a CSV table (format of :meth:`export_csv`) in one transaction; any bad row
        imports nothing and raises ImportRowsError listing every bad row (line number, reason).
        Antenna patterns and masks referenced must already be in the register."""
        from .transfer import import_csv

        return import_csv(self, path_or_text, user=self._who(user), progress=progress)
