"""Streaming CSV import of the register (format of :data:`spectrum.register.transfer.CSV_COLUMNS`).

Rows are validated and inserted as they are read, inside one write transaction (each record in
its own savepoint, so every bad row is found and reported before the transaction is rolled
back). Only a 16-byte digest of each licence's and station's columns is kept to compare rows
that repeat them, so memory stays bounded by the number of licences and stations, not by the
file. Refused, nothing imported: a row with fewer or more fields than the header (a file cut
mid-row), a last line without its newline (a file cut mid-line), invalid CSV quoting, unknown or
repeated columns, a repeated assignment on a station, and every rule of the API.
"""
from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from pathlib import Path

from .backend import ImportRowsError, RegisterError
from .models import _short, check_assignment_fields, check_licence_fields, check_station_fields
from .transfer import (_CSV_ASSIGNMENT, _CSV_LICENCE, _CSV_LICENSEE, _CSV_STATION, CSV_COLUMNS, LICENCE_KEYS, _err,
                       _insert_assignment, _insert_licence, _insert_station)

__all__ = ["import_csv"]


def _digest(values) -> bytes:
    """16-byte digest of a row's cells: rows repeating a licence/station are compared without keeping them."""
    return hashlib.blake2b("\x1f".join("" if v is None else v for v in values).encode("utf-8", "surrogatepass"),
                           digest_size=16).digest()


class _CsvSource:
    """A CSV file (or CSV text) read line by line, with the checks that need the whole file:
    a last line without its newline means the file was cut."""

    def __init__(self, path_or_text):
        text = str(path_or_text)
        self.text = self.path = None
        if "\n" in text or ("," in text and not Path(text).exists()):
            self.source, self.text = "CSV text", text
            ends = text.endswith(("\n", "\r"))
        else:
            p = Path(path_or_text)
            self.source = str(p)
            if p.is_dir():
                raise RegisterError(f"{self.source} is a directory, not a CSV file")
            try:
                with open(p, "rb") as fh:
                    fh.seek(0, 2)
                    size = fh.tell()
                    fh.seek(max(size - 1, 0))
                    last = fh.read(1)
            except FileNotFoundError:
                raise RegisterError(f"{self.source} does not exist") from None
            except OSError as exc:
                raise RegisterError(f"{self.source} cannot be read: {exc.strerror or exc}") from None
            ends = size == 0 or last in (b"\n", b"\r")
            self.path = p
        if not ends:
            raise RegisterError(f"{self.source}: the last line has no newline: the file looks cut short "
                                "(a complete CSV file ends with a line break); nothing imported")

    def open(self):
        if self.text is not None:
            return io.StringIO(self.text, newline="")
        try:
            return open(self.path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise RegisterError(f"{self.source} cannot be read: {exc.strerror or exc}") from None


def import_csv(reg, path_or_text, *, user: str, progress=None) -> dict:
    """Import a CSV table; row numbers in errors are file line numbers. See the module docstring."""
    src = _CsvSource(path_or_text)
    source = src.source
    errors: list[tuple[int, str]] = []
    n = {"licences": 0, "stations": 0, "assignments": 0, "antenna_patterns": 0, "spectrum_masks": 0,
         "licensees": 0}
    lic_seen: dict[str, tuple] = {}    # number -> (line, (lic_id, number, service) or None, digest)
    st_seen: dict[bytes, tuple] = {}   # digest(number, ref) -> (line, station id or None, role, digest)
    with src.open() as fh:
        reader = csv.reader(fh, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise RegisterError(f"{source}: the header line cannot be read: {exc}") from None
        except UnicodeDecodeError as exc:
            raise RegisterError(f"{source} is not UTF-8 text (byte {exc.start}: {exc.reason}); "
                                "save the CSV as UTF-8") from None
        if not header:
            raise RegisterError(f"{source}: empty CSV file (no header line)")
        header = [h.strip() for h in header]
        missing = [c for c in ("licence_number", "licensee", "service", "status") if c not in header]
        if missing:
            raise RegisterError(f"{source}: CSV header lacks column(s) {', '.join(missing)}")
        unknown = [c for c in header if c not in CSV_COLUMNS]
        if unknown:
            raise RegisterError(f"{source}: unknown CSV column(s) {', '.join(_short(c) for c in unknown)}")
        twice = sorted({c for c in header if header.count(c) > 1})
        if twice:
            raise RegisterError(f"{source}: CSV column(s) {', '.join(twice)} appear more than once")
        col = {c: i for i, c in enumerate(header)}
        width = len(header)

        def cells(row, names):
            out = []
            for k in names:
                i = col.get(k)
                v = row[i].strip() if i is not None else ""
                out.append(v or None)
            return out

        with reg.backend.write():
            shown = 0
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    errors.append((reader.line_num, f"not valid CSV: {exc} (a quoted field never closed?)"))
                    break
                except UnicodeDecodeError as exc:
                    raise RegisterError(f"{source} is not UTF-8 text (byte {exc.start}: {exc.reason}); "
                                        "save the CSV as UTF-8") from None
                line = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # a blank line
                if len(row) != width:
                    errors.append((line, f"{len(row)} field(s) where the header has {width}: the row is cut "
                                         "short or has extra commas; nothing is guessed"))
                    continue
                _row(reg, row, line, cells, lic_seen, st_seen, errors, n, user, source)
                if progress is not None and len(lic_seen) != shown:
                    shown = len(lic_seen)
                    progress(shown)
            if errors:
                seen, uniq = set(), []
                for e in sorted(errors, key=lambda e: e[0]):
                    if e not in seen:
                        seen.add(e)
                        uniq.append(e)
                raise ImportRowsError(source, uniq)
            reg._audit(user, "import", "register", source, after=n, reason=f"import from {source}")
    return n


_LIC_COLS = [*_CSV_LICENCE, *_CSV_LICENSEE]
_ST_COLS = ["station_ref", *_CSV_STATION]
_A_COLS = list(_CSV_ASSIGNMENT)


def _row(reg, row, line, cells, lic_seen, st_seen, errors, n, who, source) -> None:
    """Validate and insert one CSV row (its licence and station on first sight, then its assignment)."""
    lic_vals = cells(row, _LIC_COLS)
    raw_number = lic_vals[0]
    if raw_number is None:
        errors.append((line, "licence_number is empty"))
        return
    lic_digest = _digest(lic_vals)
    number = unicodedata.normalize("NFC", raw_number)
    seen = lic_seen.get(number)
    if seen is None:
        lic_fields = dict(zip(_CSV_LICENCE.values(), lic_vals[:len(_CSV_LICENCE)]))
        det = dict(zip(_CSV_LICENSEE.values(), lic_vals[len(_CSV_LICENCE):]))
        key = None
        try:
            lic = check_licence_fields(*(lic_fields[k] for k in LICENCE_KEYS))
            with reg.backend.savepoint():
                key = _insert_licence(reg, lic, None, det, who, source)
            n["licences"] += 1
        except Exception as exc:  # noqa: BLE001 - classified by _err
            errors.append((line, _err(exc, reg)))
        lic_seen[number] = seen = (line, key, lic_digest)
    elif seen[2] != lic_digest:
        errors.append((line, f"licence {raw_number}: licence/licensee columns differ from row {seen[0]}"))
        return
    lic_key = seen[1]
    st_vals = cells(row, _ST_COLS)
    ref, st_vals = st_vals[0], st_vals[1:]
    a_vals = cells(row, _A_COLS)
    if ref is None and all(v is None for v in st_vals):
        if any(v is not None for v in a_vals):
            errors.append((line, "assignment columns given without a station"))
        return
    st_key = _digest([number, ref if ref is not None else f"\x00line{line}"])
    st_digest = _digest(st_vals)
    s_seen = st_seen.get(st_key)
    if s_seen is None:
        st_fields = dict(zip(_CSV_STATION.values(), st_vals))
        sid, role = None, st_fields.get("role")
        try:
            st = check_station_fields(**st_fields)
            role = st["role"]
            if lic_key is not None:
                with reg.backend.savepoint():
                    sid = _insert_station(reg, lic_key[0], lic_key[1], st, who)
                n["stations"] += 1
        except Exception as exc:  # noqa: BLE001
            errors.append((line, _err(exc, reg)))
        st_seen[st_key] = s_seen = (line, sid, role, st_digest)
    elif s_seen[3] != st_digest:
        errors.append((line, f"station {ref}: station columns differ from row {s_seen[0]}"))
        return
    if all(v is None for v in a_vals):
        return
    sid, role = s_seen[1], s_seen[2]
    try:
        a = check_assignment_fields(role=role, **dict(zip(_CSV_ASSIGNMENT.values(), a_vals)))
        if sid is not None:
            with reg.backend.savepoint():
                _insert_assignment(reg, sid, lic_key[1], lic_key[2], a, who)
            n["assignments"] += 1
    except Exception as exc:  # noqa: BLE001
        errors.append((line, _err(exc, reg)))
