"""The contenders of bench/imports.py, each run in a child process against a fresh database:
ours (upload + analyse + commit), django-import-export, the floor, and the export.

    Run through bench/imports.py, which starts one child per contender.
"""

import datetime
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The generated file (imports.generate_file): title rows, then the headings, then the members.
HEADINGS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Quê quán",
    "Nơi ở hiện nay",
    "Ngày nhập ngũ",
    "Cấp bậc",
    "Đảng viên",
    "Chi hội",
]
TITLE_ROWS = [
    "HỘI CỰU CHIẾN BINH VIỆT NAM",
    "HỘI CCB KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
    "DANH SÁCH HỘI VIÊN",
    "",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def child_setup():
    import django

    django.setup()
    from django.conf import settings

    # DEBUG=1 would make every connection keep a log of its queries (connection.queries),
    # which costs time and memory on 100,000 rows; no contender logs them.
    settings.DEBUG = False
    from django.db import connections

    for connection in connections.all():
        connection.force_debug_cursor = False


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def counts() -> dict:
    from hoiccb.members.models import Member, MemberEvent

    return {"members": Member.objects.count(), "events": MemberEvent.objects.count()}


def run_ours(path: Path, profile: bool) -> dict:
    from hoiccb.accounts.models import User
    from hoiccb.members.imports import analysis, committing, services
    from hoiccb.members.models import ImportState, MemberImport, RowDecision, RowStatus

    khoi = User.objects.select_related("unit").get(username="khoi")
    before = counts()
    timings = {}
    data = path.read_bytes()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    batch = services.import_upload(actor=khoi, file_name=path.name, data=data, default_unit=None)
    timings["upload"] = time.perf_counter() - started
    peaks = {"upload": peak_rss_mb()}
    t = time.perf_counter()
    batch = analysis.analyse(MemberImport.objects.get(pk=batch.pk), khoi)
    timings["analyse"] = time.perf_counter() - t
    peaks["analyse"] = peak_rss_mb()
    # A few generated rows match demo members (same name, birth year, unit or hometown);
    # their default decision is "update", which commit refuses when the file's dates
    # contradict the member's (e.g. enlisted after the stored discharge). Skip them, as
    # a clerk would after reading the preview, so that the run measures the creates.
    skipped = batch.rows.filter(status=RowStatus.MATCH).update(decision=RowDecision.SKIP)
    t = time.perf_counter()
    batch = committing.commit(MemberImport.objects.get(pk=batch.pk), khoi)
    timings["commit"] = time.perf_counter() - t
    peaks["commit"] = peak_rss_mb()
    total = time.perf_counter() - started
    if profiler:
        import io
        import pstats

        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(15)
        stats.sort_stats("cumulative").print_stats(25)
        log(out.getvalue())
        stats.dump_stats(str(ROOT / "var" / "bench-import-ours.prof"))
    batch.refresh_from_db()
    after = counts()
    c = batch.counts
    new = c.get("new", 0)
    check = []
    if batch.state != ImportState.COMMITTED:
        check.append(f"state is {batch.state!r}, not committed")
    if after["members"] - before["members"] != c.get("created", -1):
        check.append(f"members +{after['members'] - before['members']:,} but created {c.get('created')}")
    if c.get("created") != new:
        check.append(f"created {c.get('created')} != NEW rows {new}")
    statuses = {k: v for k, v in c.items() if k in ("new", "match", "duplicate", "error")}
    return {
        "seconds": total,
        "stages": timings,
        "inserted": after["members"] - before["members"],
        "note": f"rows {statuses}, {skipped} matches skipped, created {c.get('created')}, "
        f"updated {c.get('updated')}, "
        f"events +{after['events'] - before['events']:,}, "
        "peak RSS after " + ", ".join(f"{stage} {mb:.0f} MB" for stage, mb in peaks.items()),
        "check": "; ".join(check) or "ok",
    }


def run_iee(path: Path, limit: int | None) -> dict:
    import tablib
    from import_export import fields, resources

    from hoiccb.accounts.models import User
    from hoiccb.lib.dates import PartialDate
    from hoiccb.members.models import Member
    from hoiccb.org.models import Unit

    khoi = User.objects.select_related("unit").get(username="khoi")
    units = {u.name: u for u in Unit.objects.subtree(khoi.unit).filter(kind__holds_members=True)}

    def partial(value):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime | datetime.date):
            return PartialDate(value.year, value.month, value.day)
        if isinstance(value, int | float):
            return PartialDate(int(value))
        return PartialDate.parse(str(value))

    class MemberResource(resources.ModelResource):
        hometown = fields.Field(attribute="hometown", column_name="Quê quán")
        residence = fields.Field(attribute="residence", column_name="Nơi ở hiện nay")
        rank = fields.Field(attribute="rank", column_name="Cấp bậc")
        cccd = fields.Field(attribute="cccd", column_name="Số CCCD")

        class Meta:
            model = Member
            fields = ("hometown", "residence", "rank", "cccd")
            # The documented settings for bulk imports ("Bulk imports" in the docs).
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            force_init_instance = True

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            parts = str(row["Họ và tên"]).split()
            instance.ho, instance.chu_dem, instance.ten = parts[0], " ".join(parts[1:-1]), parts[-1]
            instance.birth_date = partial(row["Ngày sinh"])
            instance.enlisted_on = partial(row["Ngày nhập ngũ"])
            instance.gender = "nu" if str(row["Giới tính"] or "").strip().lower() == "nữ" else "nam"
            instance.party_member = str(row["Đảng viên"] or "").strip().lower() == "x"
            instance.cccd = str(instance.cccd).strip() or None if instance.cccd else None
            instance.unit = units[row["Chi hội"]]

        def before_save_instance(self, instance, row, **kwargs):
            instance.refresh_derived()

    before = counts()
    started = time.perf_counter()
    dataset = tablib.Dataset()
    with open(path, "rb") as f:
        dataset.load(f, format="xlsx", skip_lines=len(TITLE_ROWS))
    if limit:
        dataset = dataset.subset(rows=range(min(limit, len(dataset))))
    loaded = time.perf_counter() - started
    result = MemberResource().import_data(dataset, dry_run=False, use_transactions=True, raise_errors=False)
    total = time.perf_counter() - started
    after = counts()
    inserted = after["members"] - before["members"]
    problems = []
    if result.has_errors():
        first = result.base_errors[:1] or [e for _, errs in result.row_errors()[:1] for e in errs]
        problems.append(f"errors: {first[0].error!r}" if first else "errors")
    if result.has_validation_errors():
        problems.append(f"{len(result.invalid_rows)} invalid rows")
    if inserted != len(dataset):
        problems.append(f"inserted {inserted:,} of {len(dataset):,}")
    return {
        "seconds": total,
        "stages": {"tablib load": loaded, "import_data": total - loaded},
        "inserted": inserted,
        "rows_run": len(dataset),
        "note": f"totals {dict(result.totals)}",
        "check": "; ".join(problems) or "ok",
    }


def run_floor(path: Path) -> dict:
    import python_calamine
    from django.db import transaction
    from django.utils import timezone

    from hoiccb.accounts.models import User
    from hoiccb.members.bulk import MemberRecord, bulk_insert_members
    from hoiccb.members.models import Member
    from hoiccb.org.models import Unit

    khoi = User.objects.select_related("unit").get(username="khoi")
    units = {u.name: u for u in Unit.objects.subtree(khoi.unit).filter(kind__holds_members=True)}
    concrete = [f for f in Member._meta.concrete_fields if f.attname != "id"]
    # NOT NULL columns whose default is None (the partial dates) get "".
    defaults = {f.attname: f.get_default() for f in concrete}
    defaults.update({f.attname: "" for f in concrete if defaults[f.attname] is None and not f.null})
    now = timezone.now()
    defaults.update({"created_at": now, "updated_at": now, "status": "active", "version": 1})

    def stored(value) -> str:
        if value in (None, ""):
            return ""
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m-%d")
        parts = str(value).split("/")
        return "-".join(p.zfill(2) for p in reversed(parts))

    def records(rows):
        for row in rows:
            _, name, born, gender, cccd, hometown, residence, enlisted, rank, party, unit_name = row[:11]
            parts = name.split()
            unit = units[unit_name]
            values = dict(defaults)
            values.update(
                {
                    "ho": parts[0],
                    "chu_dem": " ".join(parts[1:-1]),
                    "ten": parts[-1],
                    "gender": "nu" if gender == "Nữ" else "nam",
                    "birth_date": stored(born),
                    "cccd": cccd or None,
                    "hometown": hometown,
                    "residence": residence,
                    "enlisted_on": stored(enlisted),
                    "rank": rank,
                    "party_member": party == "x",
                    "unit_id": unit.pk,
                    "unit_path": unit.path,
                }
            )
            yield MemberRecord(values, [])

    before = counts()
    started = time.perf_counter()
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = sheet.to_python()[len(TITLE_ROWS) + 1 :]
    read = time.perf_counter() - started
    with transaction.atomic():
        bulk_insert_members(records(rows), full_records=False, batch=5000)
    total = time.perf_counter() - started
    inserted = counts()["members"] - before["members"]
    return {
        "seconds": total,
        "stages": {"calamine read": read, "insert": total - read},
        "inserted": inserted,
        "note": "no validation, no derived columns, no history events",
        "check": "ok" if inserted == len(rows) else f"inserted {inserted:,} of {len(rows):,}",
    }


def run_export() -> dict:
    """Time the export with the list page's default columns (the target) and with all columns,
    beside XlsxWriter alone writing as many cells (its own floor, no database)."""
    import tempfile

    import xlsxwriter

    from hoiccb.accounts.models import User
    from hoiccb.lib.excel import SAFE_OPTIONS
    from hoiccb.members.exporting import DEFAULT_COLUMNS, EXPORT_COLUMNS, export_members
    from hoiccb.members.selectors import MemberFilters

    khoi = User.objects.select_related("unit").get(username="khoi")
    filters = MemberFilters(unit=khoi.unit, status="active")
    started = time.perf_counter()
    file, count = export_members(khoi, filters, list(DEFAULT_COLUMNS))
    seconds = time.perf_counter() - started
    file.close()
    started = time.perf_counter()
    file, count_all = export_members(khoi, filters, list(EXPORT_COLUMNS))
    seconds_all = time.perf_counter() - started
    file.close()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as raw:
        book = xlsxwriter.Workbook(raw, SAFE_OPTIONS)
        sheet, cell = book.add_worksheet(), book.add_format({"border": 1})
        for row in range(count_all):
            for col in range(len(EXPORT_COLUMNS) + 1):
                sheet.write_string(row, col, "Nguyễn Văn Hùng", cell)
        book.close()
    floor = time.perf_counter() - started
    return {
        "seconds": seconds,
        "stages": {"all columns": seconds_all, "xlsxwriter alone, all columns": floor},
        "inserted": count,
        "note": f"{count:,} rows × {len(DEFAULT_COLUMNS) + 1} columns (default); "
        f"all {len(EXPORT_COLUMNS) + 1} columns {seconds_all:.1f} s, XlsxWriter alone {floor:.1f} s",
        "check": "ok" if count >= 100_000 and count_all == count else f"only {count:,} rows (< 100,000)",
    }


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the sandboxed reader), user + system."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child_main(args) -> None:
    child_setup()
    path = Path(args.file)
    cpu_before = cpu_seconds()
    if args.child == "ours":
        result = run_ours(path, args.profile)
    elif args.child == "iee":
        result = run_iee(path, args.iee_rows)
    elif args.child == "floor":
        result = run_floor(path)
    else:
        result = run_export()
    result["peak_rss_mb"] = peak_rss_mb()
    result["cpu_seconds"] = cpu_seconds() - cpu_before
    print("RESULT " + json.dumps(result), flush=True)
