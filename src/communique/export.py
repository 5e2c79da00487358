"""Exports of a store: PLOVER JSONL, a GDELT-style event TSV, and Parquet partitioned by date.

Every export is sorted on stable keys, so exporting the same database twice gives
byte-identical files. ``asserted_only`` keeps asserted events (for the TSV: clusters that
an original mention asserts). Exports carry facts (codes, names, dates, places, offsets),
never the article text: the evidence is given as character offsets.

**PLOVER JSONL** (``plover-jsonl``): one event mention per line, in the record format of
the PLOVER manual's "Data Fields" chapter, events of the latest version of each article:

=================  ===============================================================================
``id``             the event id (a content hash)
``date``           the event's first day (the publication date when the text gives none);
                   ``enddate`` its last day
``actor``          ``[{code, sector, entity_text, identifier_id, office}]``: ``code`` is the ISO-3
                   country, or for an IGO the manual's entity code (``UNO`` the UN, ``EUR`` the EU,
                   ``IGO`` any other, the IGO's own code in ``igo``); ``recipient`` the same, or ``[]``
``event``          ``[type]``; ``mode``: ``[mode]`` or ``[]``; ``context``: the contexts
``quad_code``      the quad class; ``event_scale``: the PLOVER score
``event_loc``      ``{extracted_place, resolved_place, geonameid, lat, lon, province, country_code,
                   resolution}`` (resolution 4 city or finer, 2 province, 1 country), when placed
``link``           the event's cluster id: every mention of one real-world event shares it
``text_info``      ``{sequence, start, end}``: the sentence and the character offsets of the evidence
``cite_info``      ``{citation (article id), url, title, publication (source), language, coder,
                   codebook (ontology version)}``
``coder``, ``coded_date``, ``has_event``
extensions         ``factuality``, ``date_granularity``, ``date_source``, ``cameo_root``, ``goldstein``,
                   ``tone``, ``published``, ``duplicate_of`` (content hash of the article this one copies)
=================  ===============================================================================

**GDELT-style TSV** (``gdelt-tsv``): one row per event cluster (GDELT's row is one event
with its mention counts; a cluster is ours), with a header line, tab-separated, empty for
null, the 61 columns of the GDELT 2.0 event table and five more:

=======================================  ======================================================
``GLOBALEVENTID``                        an integer, as GDELT's: the cluster id (16 hex digits) read as a
                                         number and halved, so that it fits a signed 64-bit column
                                         (``ClusterID`` gives the hex id itself)
``SQLDATE``, ``MonthYear``, ``Year``     event date (YYYYMMDD, YYYYMM, YYYY) of the
                                         representative event, else the first publication date
``FractionDate``                         year + day of year / 365, 4 decimals
``Actor1Code``                           country code + sector, e.g. ``KENGOV``; an IGO's code alone
                                         (``UN``, ``NATO``: its sector is in ``Actor1Type1Code``)
``Actor1Name``                           actor's name as coded
``Actor1CountryCode``                    ISO-3 country (GDELT: CAMEO country code, mostly equal)
``Actor1KnownGroupCode``                 IGO code (UN, NATO, AU, …)
``Actor1EthnicCode``, ``Actor1Religion1Code``, ``Actor1Religion2Code``  empty
``Actor1Type1Code``                      PLOVER sector (GOV, MIL, REB, …); Type2/Type3 empty
``Actor2…`` (10 columns)                 the same for the recipient
``IsRootEvent``                          1 if the representative event is in the first sentence
``EventCode``, ``EventBaseCode``,        CAMEO root code of the PLOVER type and mode, two digits with
``EventRootCode``                        the leading zero kept (``04``: read these columns as strings,
                                         as GDELT's own loaders do); finer CAMEO codes are not coded
``QuadClass``                            1 verbal cooperation … 4 material conflict (as GDELT)
``GoldsteinScale``                       the type's Goldstein value
``NumMentions``                          mentions (events) in the cluster
``NumSources``, ``NumArticles``          distinct sources and articles, near-duplicate copies excluded
``AvgTone``                              mean tone of the cluster's mentions (``tone.py``: like
                                         GDELT's, 100 × valence ÷ (4 × words)), copies excluded
``Actor1Geo_*``, ``Actor2Geo_*``          empty (actors are not geolocated)
``ActionGeo_Type``                       1 country, 2 US state, 3 US city, 4 world city, 5 world
                                         state (from the place's precision)
``ActionGeo_FullName``                   place name
``ActionGeo_CountryCode``                ISO-3 (GDELT: FIPS 10-4)
``ActionGeo_ADM1Code``                   GeoNames admin1 code; ``ADM2Code`` empty
``ActionGeo_Lat``, ``ActionGeo_Long``    coordinates
``ActionGeo_FeatureID``                  GeoNames id (GDELT: GNS/GNIS id)
``DATEADDED``                            first publication date of a mention, YYYYMMDD000000
``SOURCEURL``                            URL of the representative's article (else its id)
``PLOVEREvent``, ``PLOVERMode``,         communique's own: PLOVER type, mode and score, and the
``PLOVERScore``, ``Factuality``          cluster's factuality
``ClusterID``                            the cluster id, as ``link`` in the PLOVER JSONL
=======================================  ======================================================

**Parquet** (``parquet``): a folder of Hive partitions ``date=YYYY-MM-DD/data_0.parquet``
(the event's first day, else the publication date; ``__HIVE_DEFAULT_PARTITION__`` for
none), one row per event mention with the flat event columns of ``store.EVENT_COLUMNS``
(``actor_*``, ``recipient_*``, ``outlet``, ``cluster_id``, ``goldstein``, ``tone``,
``contexts``, …) except the evidence text, plus ``content_hash``, ``seq``, ``url`` and
``duplicate_of``; written by DuckDB's ``COPY … (FORMAT PARQUET, PARTITION_BY (date))`` in one
thread, sorted, so it is reproducible. The folder holds a manifest, ``.communique-export.json``,
naming every file of the export: an export goes only into a new or empty folder or over an
earlier export whose folder holds nothing else, and replaces only the files its manifest names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO, cast

import duckdb

from ._output import check_file, replacing, replacing_folder
from .errors import InputError, OutputError

__all__ = ["FORMATS", "GDELT_COLUMNS", "export"]

FORMATS = ("plover-jsonl", "gdelt-tsv", "parquet", "quotes-jsonl")

_ACTOR_COLUMNS = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                  "Religion2Code", "Type1Code", "Type2Code", "Type3Code")  # fmt: skip
_GEO_COLUMNS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR_COLUMNS), *(f"Actor2{c}" for c in _ACTOR_COLUMNS),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO_COLUMNS), *(f"Actor2Geo_{c}" for c in _GEO_COLUMNS),
    *(f"ActionGeo_{c}" for c in _GEO_COLUMNS),
    "DATEADDED", "SOURCEURL",
    "PLOVEREvent", "PLOVERMode", "PLOVERScore", "Factuality", "ClusterID",
)  # fmt: skip

_IGO_ENTITY = {"UN": "UNO", "UNO": "UNO", "EU": "EUR", "EUR": "EUR"}
_RESOLUTION = {"point": 5, "city": 4, "admin2": 3, "admin1": 2, "country": 1}

# The latest version of each article (an article id coded twice keeps its last coding).
_LATEST = """a.content_hash IN (SELECT content_hash FROM articles
                         QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY store_order DESC) = 1)"""


def export(con: duckdb.DuckDBPyConnection, fmt: str, out: str | Path, *, asserted_only: bool = False) -> int:
    """Write the store behind ``con`` to ``out`` in ``fmt`` (one of ``FORMATS``); returns the rows written.

    A file is written beside ``out`` and moved into place, so a reader never sees half of it. Nothing
    that communique did not write is replaced or deleted (``_output``): OutputError for a folder,
    a special file or the database as a file's ``out``, and for a Parquet ``out`` that is neither
    new, empty nor an earlier export."""
    out = Path(out)
    writers = {"plover-jsonl": _plover, "gdelt-tsv": _gdelt, "quotes-jsonl": _quotes}
    if fmt != "parquet" and fmt not in writers:
        raise InputError(fmt, f"unknown export format; use one of {', '.join(FORMATS)}")
    protect = [p for (p,) in con.execute(
        "SELECT path FROM duckdb_databases() WHERE path IS NOT NULL AND NOT internal").fetchall()]
    if fmt == "parquet":
        return _parquet(con, out, asserted_only, protect)
    check_file(out, protect=protect)
    with replacing(out) as f:
        return writers[fmt](con, cast(TextIO, f), asserted_only)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
    cursor = con.cursor()
    try:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            yield from chunk
    finally:
        cursor.close()


# --- PLOVER JSONL ----------------------------------------------------------------------------------------


def _entity(d: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not d:
        return []
    igo = d.get("igo")
    code = d.get("country") or (_IGO_ENTITY.get(igo.upper(), "IGO") if igo else None)
    e: dict[str, Any] = {"code": code, "sector": d.get("sector"), "entity_text": d.get("name")}
    if igo:
        e["igo"] = igo
    if d.get("registry_id"):
        e["identifier_id"] = d["registry_id"]
    if d.get("role"):
        e["office"] = d["role"]
    return [e]


def _location(d: dict[str, Any] | None) -> dict[str, Any] | None:
    if not d:
        return None
    loc = {
        "extracted_place": d.get("text") or d.get("name"), "resolved_place": d.get("name"),
        "geonameid": d.get("geonames_id"), "lat": d.get("lat"), "lon": d.get("lon"),
        "province": d.get("admin1"), "country_code": d.get("country"),
        "resolution": _RESOLUTION.get(d.get("precision") or ""),
    }  # fmt: skip
    return {k: v for k, v in loc.items() if v is not None}


def _plover(con: duckdb.DuckDBPyConnection, f: TextIO, asserted_only: bool) -> int:
    sql = f"""
        SELECT e.event_id, e.record, a.article_id, a.url, a.title, a.source, a.language, a.published,
               a.coded_at, a.coder_version, a.duplicate_of, ec.cluster_id,
               coalesce(e.date_start, a.published) AS day, coalesce(e.date_end, e.date_start, a.published)
        FROM events e JOIN articles a USING (content_hash)
        LEFT JOIN event_clusters ec USING (content_hash, seq)
        WHERE {_LATEST} {"AND e.factuality = 'asserted'" if asserted_only else ""}
        ORDER BY day NULLS LAST, a.article_id, e.content_hash, e.seq"""
    n = 0
    for (event_id, record, article_id, url, title, source, language, published, coded_at, coder, duplicate_of,
         cluster_id, day, end) in _rows(con, sql, []):  # fmt: skip
        r = json.loads(record)
        evidence = r.get("evidence") or []
        trigger = r.get("trigger") or {}
        start = evidence[0]["char_start"] if evidence else trigger.get("char_start")
        stop = evidence[-1]["char_end"] if evidence else trigger.get("char_end")
        rec: dict[str, Any] = {
            "id": event_id,
            "date": _iso(day),
            "enddate": _iso(end),
            "actor": _entity(r.get("source")),
            "recipient": _entity(r.get("target")),
            "event": [r["type"]],
            "mode": [r["mode"]] if r.get("mode") else [],
            "context": list(r.get("contexts") or []),
            "quad_code": r.get("quad_class"),
            "event_scale": r.get("score"),
        }
        loc = _location(r.get("location"))
        if loc:
            rec["event_loc"] = loc
        rec["link"] = cluster_id
        rec["text_info"] = {"sequence": r.get("sentence_index"), "start": start, "end": stop}
        cite = {"citation": article_id, "url": url, "title": title, "publication": source, "language": language,
                "coder": coder, "codebook": r.get("ontology_version")}
        rec["cite_info"] = {k: v for k, v in cite.items() if v is not None}
        rec["coder"] = coder
        rec["coded_date"] = coded_at.date().isoformat() if isinstance(coded_at, datetime) else None
        rec["has_event"] = True
        rec.update(
            factuality=r.get("factuality"), date_granularity=(r.get("date") or {}).get("granularity"),
            date_source=r.get("date_source"), cameo_root=r.get("cameo_root"), goldstein=r.get("goldstein"),
            tone=r.get("tone"), published=_iso(published), duplicate_of=duplicate_of,
        )  # fmt: skip
        f.write(json.dumps(rec, ensure_ascii=False, allow_nan=False) + "\n")
        n += 1
    return n


def _iso(d: date | None) -> str | None:
    return d.isoformat() if isinstance(d, date) else None


# --- GDELT-style TSV -------------------------------------------------------------------------------------


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(round(v, 6))
    return str(v).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _actor_cells(name: str | None, country: str | None, igo: str | None, sector: str | None) -> list[Any]:
    # a state actor's code is country + sector (KENGOV); an IGO's is its code alone (UN, never UNIGO,
    # and never UN + MIL, which would read as another code): the sector has its own column
    code = (country + (sector or "")) if country else (igo or sector or "")
    return [code or None, name, country, igo, None, None, None, sector, None, None]


def _geo_type(precision: str | None, country: str | None) -> int | None:
    if precision == "country":
        return 1
    if precision in ("admin1", "admin2"):
        return 2 if country == "USA" else 5
    if precision in ("city", "point"):
        return 3 if country == "USA" else 4
    return None


def _event_number(cluster_id: str) -> int:
    """GDELT's GLOBALEVENTID is an integer: the 64-bit cluster id, halved to fit a signed BIGINT."""
    return int(cluster_id, 16) >> 1


def _cameo(code: Any) -> str | None:
    """A CAMEO code as the string it is ("04"), also if a store holds it as a number."""
    if code is None or code == "":
        return None
    text = str(code)
    return text.zfill(2) if text.isdigit() else text


def _gdelt(con: duckdb.DuckDBPyConnection, f: TextIO, asserted_only: bool) -> int:
    sql = f"""
        SELECT c.cluster_id, coalesce(c.date_start, c.first_seen) AS day,
               e.source_name, e.source_country, e.source_igo, e.source_sector,
               e.target_name, e.target_country, e.target_igo, e.target_sector,
               e.sentence_index, e.cameo_root, c.quad_class, e.goldstein, c.n_events, c.n_sources, c.n_articles,
               json_extract_string(e.record, '$.location.precision'), c.location_name, c.location_country,
               json_extract_string(e.record, '$.location.admin1'), c.lat, c.lon,
               TRY_CAST(json_extract(e.record, '$.location.geonames_id') AS BIGINT),
               c.first_seen, coalesce(a.url, a.article_id), c.type, c.mode, c.score, c.factuality, round(t.tone, 4)
        FROM clusters c
        JOIN events e ON e.content_hash = c.content_hash AND e.seq = c.seq
        JOIN articles a ON a.content_hash = c.content_hash
        LEFT JOIN (SELECT ec.cluster_id, avg(TRY_CAST(json_extract(m.record, '$.tone') AS DOUBLE)) AS tone
                   FROM event_clusters ec JOIN events m USING (content_hash, seq)
                   WHERE ec.copy_of IS NULL GROUP BY ec.cluster_id) t ON t.cluster_id = c.cluster_id
        {"WHERE c.factuality = 'asserted'" if asserted_only else ""}
        ORDER BY day NULLS LAST, c.cluster_id"""
    f.write("\t".join(GDELT_COLUMNS) + "\n")
    n = 0
    for (cid, day, sname, scountry, sigo, ssector, tname, tcountry, tigo, tsector, sentence, cameo, quad, goldstein,
         n_events, n_sources, n_articles, precision, place, pcountry, admin1, lat, lon, geonames_id, first_seen, url,
         type_, mode, score, factuality, tone) in _rows(con, sql, []):  # fmt: skip
        if isinstance(day, date):
            dates: list[Any] = [day.strftime("%Y%m%d"), day.strftime("%Y%m"), day.year,
                                f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}"]
        else:
            dates = [None] * 4
        placed = place is not None or lat is not None
        action = [_geo_type(precision, pcountry), place, pcountry, admin1, None, lat, lon, geonames_id]
        row = [
            _event_number(cid), *dates,
            *_actor_cells(sname, scountry, sigo, ssector), *_actor_cells(tname, tcountry, tigo, tsector),
            1 if sentence == 0 else 0, *[_cameo(cameo)] * 3, quad, goldstein, n_events, n_sources, n_articles, tone,
            *([None] * 16), *(action if placed else [None] * 8),
            first_seen.strftime("%Y%m%d000000") if isinstance(first_seen, date) else None, url,
            type_, mode, score, factuality, cid,
        ]  # fmt: skip
        assert len(row) == len(GDELT_COLUMNS)
        f.write("\t".join(_cell(v) for v in row) + "\n")
        n += 1
    return n


# --- Parquet ---------------------------------------------------------------------------------------------


def _parquet(con: duckdb.DuckDBPyConnection, out: Path, asserted_only: bool, protect: list[str]) -> int:
    select = f"""
        SELECT e.event_id, ec.cluster_id, e.article_id, e.content_hash, e.seq, e.published, e.type, e.mode,
               e.quad_class, e.score, e.goldstein, e.cameo_root, e.factuality,
               TRY_CAST(json_extract(e.record, '$.tone') AS DOUBLE) AS tone,
               e.source_name AS actor_name, e.source_country AS actor_country, e.source_igo AS actor_igo,
               e.source_sector AS actor_sector, e.target_name AS recipient_name,
               e.target_country AS recipient_country, e.target_igo AS recipient_igo,
               e.target_sector AS recipient_sector,
               e.date_start, e.date_end, e.date_granularity, e.date_source,
               e.location_name, e.location_country, e.lat, e.lon, e.sentence_index, e.trigger, e.contexts,
               e.ontology_version, a.url, a.source AS outlet, a.duplicate_of,
               coalesce(e.date_start, e.published) AS date
        FROM events e JOIN articles a USING (content_hash)
        LEFT JOIN event_clusters ec USING (content_hash, seq)
        WHERE {_LATEST} {"AND e.factuality = 'asserted'" if asserted_only else ""}
        ORDER BY date NULLS LAST, e.article_id, e.content_hash, e.seq"""
    [(n,)] = con.execute(f"SELECT count(*) FROM ({select})").fetchall()
    [(threads,)] = con.execute("SELECT current_setting('threads')").fetchall()
    with replacing_folder(out, protect=protect) as tmp:
        con.execute("SET threads = 1")  # one writer: the same files, the same bytes, every time
        try:
            con.execute(f"COPY ({select}) TO '{_sql_path(tmp)}' (FORMAT PARQUET, PARTITION_BY (date))")
        except duckdb.IOException as e:
            raise OutputError(str(out), f"cannot be written: {e}") from e
        finally:
            con.execute(f"SET threads = {int(threads)}")
    return int(n)


# --- quotations -------------------------------------------------------------------------------------------


def _quotes(con: duckdb.DuckDBPyConnection, f: TextIO, asserted_only: bool) -> int:
    """One quotation per line: who said what, with the offsets of the content in the article text.
    Near-duplicate copies are left out; ``asserted_only`` does not apply to quotations."""
    sql = """
        SELECT a.article_id, a.url, a.published, q.seq, q.speaker, q.speaker_country, q.speaker_igo,
               q.speaker_sector, q.cue, q.content, q.char_start, q.char_end, q.sentence_index
        FROM quotes q JOIN articles a ON a.content_hash = q.content_hash
        WHERE a.duplicate_of IS NULL
        ORDER BY a.article_id, a.content_hash, q.seq"""
    n = 0
    keys = ("article_id", "url", "published", "seq", "speaker", "speaker_country", "speaker_igo",
            "speaker_sector", "cue", "content", "char_start", "char_end", "sentence_index")
    for row in _rows(con, sql, []):
        rec = dict(zip(keys, row, strict=True))
        rec["published"] = _iso(rec["published"])
        f.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")
