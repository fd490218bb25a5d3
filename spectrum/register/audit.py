"""The append-only audit log: rows, hash chain and its verification."""
from __future__ import annotations

import hashlib
import json
from typing import Sequence

from .common import _dumps
from .sqlite import utc_now


def audit_row_hash(prev_hash: str | None, content: Sequence) -> str:
    """SHA-256 (hex) of an audit row: the previous row's hash and the row's content fields
    (at_utc, who, action, entity, entity_key, before_json, after_json, reason)."""
    payload = json.dumps([prev_hash, *content], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()



class AuditMixin:
    """Audit rows of :class:`~spectrum.register.Register`: writing, chain verification, listing."""

    def _audit(self, user: str, action: str, entity: str, key, before=None, after=None, reason=None) -> None:
        content = (utc_now(), user, action, entity, None if key is None else str(key),
                   None if before is None else _dumps(before), None if after is None else _dumps(after), reason)
        prev = self._one("SELECT row_hash FROM audit ORDER BY id DESC LIMIT 1")
        prev_hash = prev[0] if prev else None
        self._x("INSERT INTO audit (at_utc, who, action, entity, entity_key, before_json, after_json, reason, "
                "prev_hash, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*content, prev_hash, audit_row_hash(prev_hash, content)))

    def verify_audit(self) -> dict:
        """Check the audit log's hash chain (tamper evidence beyond the database triggers).

        Returns
        -------
        dict
            ``ok`` (bool), ``rows``, ``chained`` (rows carrying a hash), ``head`` (hash of the last
            row: keep it elsewhere to detect a truncated tail later) and ``problems`` (row ids and
            what is wrong: content changed, row removed or inserted, chain broken).
        """
        problems, prev_hash, prev_id, n, chained = [], None, None, 0, 0
        for row in self._x("SELECT id, at_utc, who, action, entity, entity_key, before_json, after_json, reason, "
                           "prev_hash, row_hash FROM audit ORDER BY id"):
            n += 1
            rid, content, p_hash, r_hash = row[0], row[1:9], row[9], row[10]
            if r_hash is None:
                if chained:
                    problems.append(f"audit row {rid}: hash missing after the chain began")
                continue
            chained += 1
            if chained > 1 and prev_id is not None and rid != prev_id + 1:
                problems.append(f"audit rows {prev_id + 1}..{rid - 1} are missing")
            if chained > 1 and p_hash != prev_hash:
                problems.append(f"audit row {rid}: previous-hash link broken (row before it removed or changed)")
            if audit_row_hash(p_hash, content) != r_hash:
                problems.append(f"audit row {rid}: content does not match its hash (changed)")
            prev_hash, prev_id = r_hash, rid
        return {"ok": not problems, "rows": n, "chained": chained, "head": prev_hash, "problems": problems}


    def audit(self, *, entity: str | None = None, key: str | None = None, licence_number: str | None = None,
              user: str | None = None, since: str | None = None, limit: int | None = None) -> list[dict]:
        """Audit rows, newest last: id, at_utc, who, action, entity, entity_key, before, after, reason.

        ``licence_number`` selects the licence's rows and those of its stations/assignments.
        """
        where, params = ["1"], []
        if entity is not None:
            where.append("entity = ?")
            params.append(entity)
        if key is not None:
            where.append("entity_key = ?")
            params.append(str(key))
        if user is not None:
            where.append("who = ?")
            params.append(user)
        if since is not None:
            where.append("at_utc >= ?")
            params.append(str(since))
        if licence_number is not None:
            after = self.backend.json_field_sql("after_json", "licence")
            before = self.backend.json_field_sql("before_json", "licence")
            where.append(f"((entity = 'licence' AND entity_key = ?) OR "
                         f"(entity IN ('station', 'assignment') AND ({after} = ? OR {before} = ?)))")
            params += [licence_number] * 3
        sql = (f"SELECT id, at_utc, who, action, entity, entity_key, before_json, after_json, reason, row_hash "
               f"FROM audit "
               f"WHERE {' AND '.join(where)} ORDER BY id")
        if limit is not None:
            sql = f"SELECT * FROM ({sql[:-len(' ORDER BY id')]} ORDER BY id DESC LIMIT {int(limit)}) ORDER BY id"
        cols = ("id", "at_utc", "who", "action", "entity", "entity_key", "before", "after", "reason", "hash")
        out = []
        for r in self._x(sql, params):
            d = dict(zip(cols, r))
            for k in ("before", "after"):
                d[k] = None if d[k] is None else json.loads(d[k])
            out.append(d)
        return out
