"""The append-only audit log: rows, the hash chain from a known genesis, and its verification.

Every audit row stores ``prev_hash`` (the previous row's ``row_hash``) and ``row_hash`` =
SHA-256 over ``[prev_hash, at_utc, who, action, entity, entity_key, before_json, after_json,
reason]`` (:func:`audit_row_hash`). The chain starts at a ``chain-start`` row written by the
integrity migration in its own transaction: its ``prev_hash`` is :func:`legacy_digest` of every
row before it, folded from the fixed :data:`GENESIS` value, so

* a register created at the current schema has the chain-start as row 1 with
  ``prev_hash == GENESIS``, and every row is hashed;
* an upgraded register keeps its older rows ("legacy" rows, some without a hash): they are
  covered by the digest from the upgrade on, so a later change to them is detected; what was
  done to them before the upgrade cannot be proven.

This module is backend-neutral (portable SQL through ``Register._x``).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from typing import Sequence

from .backend import RegisterError
from .common import _dumps, utc_now

__all__ = ["GENESIS", "CHAIN_START", "audit_row_hash", "legacy_digest", "after_migration", "AuditMixin"]

#: previous hash of the first row of every audit chain: SHA-256 of this fixed text
GENESIS = hashlib.sha256(b"spectrum licence register: audit log genesis v1").hexdigest()
#: action of the row that starts the hash chain
CHAIN_START = "chain-start"
_AUDIT_COLS = ("id, at_utc, who, action, entity, entity_key, before_json, after_json, reason, prev_hash, "
               "row_hash")


def audit_row_hash(prev_hash: str | None, content: Sequence) -> str:
    """SHA-256 (hex) of an audit row: the previous row's hash and the row's content fields
    (at_utc, who, action, entity, entity_key, before_json, after_json, reason)."""
    payload = json.dumps([prev_hash, *content], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _fold(digest: str, row: Sequence) -> str:
    payload = json.dumps([digest, *row], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def legacy_digest(rows) -> str:
    """Digest of audit rows written before the chain start (every column, ids included), folded from GENESIS."""
    d = GENESIS
    for row in rows:
        d = _fold(d, row)
    return d


def after_migration(backend, description: str) -> None:
    """Rows a migration needs beside its SQL, written in the migration's transaction.

    ``integrity``: the audit chain's start row, anchored on the digest of every older row.
    Keyed by the migration's description, not its number (numbers may be renumbered).
    """
    if description != "integrity":
        return
    rows = backend.execute(f"SELECT {_AUDIT_COLS} FROM audit ORDER BY id").fetchall()
    prev = legacy_digest(rows)
    content = (utc_now(), "spectrum", CHAIN_START, "register", None, None,
               _dumps({"genesis": GENESIS, "legacy_rows": len(rows)}),
               "audit hash chain anchored: every later row is hashed and linked")
    backend.execute("INSERT INTO audit (at_utc, who, action, entity, entity_key, before_json, after_json, reason, "
                    "prev_hash, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*content, prev, audit_row_hash(prev, content)))


def parse_since(since) -> str:
    """An ISO date or date-time (UTC if no zone) as the text form audit times are compared in."""
    if isinstance(since, _dt.datetime):
        t = since
    elif isinstance(since, _dt.date):
        return since.isoformat()
    else:
        s = str(since).strip()
        try:
            if len(s) == 10:
                return _dt.date.fromisoformat(s).isoformat()
            t = _dt.datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s)
        except ValueError:
            raise RegisterError(f"since = {since!r} is not an ISO date or time (e.g. 2026-01-01 or "
                                "2026-01-01T12:00:00Z)") from None
    if t.tzinfo is not None:
        t = t.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_limit(limit, name: str = "limit") -> int | None:
    """``None`` or a non-negative integer."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int):
        try:
            if isinstance(limit, bool) or float(limit) != int(limit):
                raise ValueError
            limit = int(limit)
        except (TypeError, ValueError, OverflowError):
            raise RegisterError(f"{name} = {limit!r} must be a whole number >= 0") from None
    if limit < 0:
        raise RegisterError(f"{name} = {limit} must be >= 0")
    return min(limit, 2 ** 62)


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

    def audit_head(self) -> dict:
        """The audit chain's head: ``{"head": row_hash of the last row, "rows": count, "id": last id}``.

        Keep it outside the register (every write command prints it with ``--json``); later,
        ``verify_audit(expect_head=...)`` / ``spectrum register check --expect-head`` detects a
        truncated or rewritten log.
        """
        with self.backend.read():
            last = self._one("SELECT id, row_hash FROM audit ORDER BY id DESC LIMIT 1")
            n = self._one("SELECT COUNT(*) FROM audit")[0]
        return {"head": None if last is None else last[1], "rows": int(n), "id": None if last is None else last[0]}

    def verify_audit(self, expect_head: str | None = None) -> dict:
        """Check the audit log's hash chain (tamper evidence beyond the database triggers).

        Verified: row ids run 1, 2, 3, ... without gaps; a ``chain-start`` row exists and its
        previous hash is the digest of every row before it folded from :data:`GENESIS` (a
        register created at the current schema starts with it, so deleting the first rows,
        every row, or rewriting a leading block is detected); every row after it is hashed,
        links to the previous row's hash and matches its content; rows before it that carry a
        hash (schema 4) link to each other. With ``expect_head`` (a head kept elsewhere), that
        hash must be a row of the chain: a truncated tail or a recomputed chain is detected.

        Returns
        -------
        dict
            ``ok`` (bool), ``rows``, ``chained`` (rows carrying a hash), ``legacy`` (rows written
            before the chain start), ``chain_start`` (its row id), ``head`` (hash of the last row),
            ``head_id`` and ``problems`` (row ids and what is wrong).
        """
        if expect_head is not None:
            expect_head = str(expect_head).strip().lower()
            if len(expect_head) != 64 or any(c not in "0123456789abcdef" for c in expect_head):
                raise RegisterError(f"expect_head = {expect_head!r} is not a 64-digit hex SHA-256 audit head")
        problems: list[str] = []
        n = chained = legacy = 0
        next_id = 1
        start_id = None
        digest = GENESIS
        prev_hash = None        # hash of the previous row of the (legacy or main) chain
        legacy_chained = 0
        head = head_id = None
        found = expect_head is None
        with self.backend.read():
            cur = self._x(f"SELECT {_AUDIT_COLS} FROM audit ORDER BY id")
            for row in cur:
                n += 1
                rid, content, p_hash, r_hash = row[0], row[1:9], row[9], row[10]
                if rid != next_id:
                    if rid > next_id:
                        problems.append(f"audit rows {next_id}..{rid - 1} are missing")
                    else:  # pragma: no cover - ids are unique
                        problems.append(f"audit row {rid}: out of order")
                next_id = rid + 1
                head, head_id = r_hash, rid
                if start_id is None:
                    if content[2] == CHAIN_START and content[3] == "register":
                        start_id = rid
                        chained += 1
                        if p_hash != digest:
                            problems.append(f"audit row {rid} (chain start): the {legacy} row(s) before it do not "
                                            "match the digest it was anchored on (a row before it was removed, "
                                            "changed or inserted)")
                        if r_hash is None or audit_row_hash(p_hash, content) != r_hash:
                            problems.append(f"audit row {rid} (chain start): content does not match its hash")
                        prev_hash = r_hash
                    else:
                        legacy += 1
                        digest = _fold(digest, row)
                        if r_hash is not None:  # schema-4 rows: a chain without a fixed start
                            legacy_chained += 1
                            chained += 1
                            if legacy_chained > 1 and p_hash != prev_hash:
                                problems.append(f"audit row {rid}: previous-hash link broken (row before it "
                                                "removed or changed)")
                            if audit_row_hash(p_hash, content) != r_hash:
                                problems.append(f"audit row {rid}: content does not match its hash (changed)")
                            prev_hash = r_hash
                        elif legacy_chained:
                            problems.append(f"audit row {rid}: hash missing after the chain began")
                    if r_hash is not None and r_hash == expect_head:
                        found = True
                    continue
                if r_hash is None:
                    problems.append(f"audit row {rid}: hash missing (every row after the chain start is hashed)")
                    prev_hash = None
                    continue
                chained += 1
                if p_hash != prev_hash:
                    problems.append(f"audit row {rid}: previous-hash link broken (row before it removed or changed)")
                if audit_row_hash(p_hash, content) != r_hash:
                    problems.append(f"audit row {rid}: content does not match its hash (changed)")
                prev_hash = r_hash
                if r_hash == expect_head:
                    found = True
        if n == 0:
            problems.append("the audit log is empty: every row was deleted (a register always has its "
                            "chain-start row)")
        elif start_id is None:
            problems.append(f"the audit log has no chain-start row: its first rows were deleted or rewritten "
                            f"({n} row(s) left)")
        if not found:
            problems.append(f"expected head {expect_head} is not in the audit chain: the log was truncated or "
                            "rewritten after that head was taken")
        return {"ok": not problems, "rows": n, "chained": chained, "legacy": legacy, "chain_start": start_id,
                "head": head, "head_id": head_id, "problems": problems}

    def audit(self, *, entity: str | None = None, key: str | None = None, licence_number: str | None = None,
              user: str | None = None, since: str | None = None, limit: int | None = None) -> list[dict]:
        """Audit rows, newest last: id, at_utc, who, action, entity, entity_key, before, after, reason.

        ``licence_number`` selects the licence's rows and those of its stations/assignments;
        ``since`` is an ISO date or time (UTC unless it names a zone); ``limit`` keeps the
        last N rows (``None``: all; negative: an error).
        """
        limit = check_limit(limit)
        where, params = ["1 = 1"], []
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
            params.append(parse_since(since))
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
            sql = f"SELECT * FROM ({sql[:-len(' ORDER BY id')]} ORDER BY id DESC LIMIT ?) AS t ORDER BY id"
            params.append(limit)
        cols = ("id", "at_utc", "who", "action", "entity", "entity_key", "before", "after", "reason", "hash")
        out = []
        with self.backend.read():
            rows = self._x(sql, params).fetchall()
        for r in rows:
            d = dict(zip(cols, r))
            for k in ("before", "after"):
                d[k] = None if d[k] is None else json.loads(d[k])
            out.append(d)
        return out
