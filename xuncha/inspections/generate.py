"""`xuncha generate`: a large, realistic, deterministic database for benchmarks and load tests.

Rows are written in bulk (executemany in big transactions on SQLite, COPY on PostgreSQL) with
ids assigned here, so a million problems take minutes, not hours. Text is recombined from the
seed notice's own clauses, with places, numbers and years varied, so it reads like a notice and
full-text search has real words to find.

The history stays a valid signed chain: every generated event is signed in Python with the same
payload function the services use (``Event.signed_payload``) and linked to the head, and every
status the generator gives a problem or measure is explained by an event, so
`xuncha audit verify` passes on the result.
"""

from __future__ import annotations

import datetime
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from xuncha.accounts.models import Profile, Role
from xuncha.inspections.models import (
    Committee,
    DuePrecision,
    Inspection,
    InspectionGroup,
    Measure,
    PartyOrganisation,
    PlanState,
    Problem,
    ProblemCategory,
    ProgressReport,
    Region,
    Round,
    RoundKind,
)
from xuncha.inspections.models import RectificationStatus as S
from xuncha.similar.index import RowWriter as BandKeyWriter
from xuncha.workflow import history
from xuncha.workflow.models import Action, ChainHead, Event
from xuncha.workflow.transitions import problem_status

SEED_NOTICE = Path(__file__).resolve().parent.parent / "demo" / "changji-12-5.txt"
#: Problems one unit gets in one round, on average, and units one round inspects.
PROBLEMS_PER_UNIT = 8
UNITS_PER_ROUND = 30
GROUPS_PER_ROUND = 6
MEASURES_PER_PROBLEM = 3
FIRST_YEAR = 2016
#: What every generated account's password hashes from (they are for load tests, not people).
GENERATED_PASSWORD = "xuncha-generated-password"  # noqa: S105 - test data, documented

def _words(text: str) -> list[str]:
    return text.split()


_SYLLABLES = _words(
    "东城 七户 北庭 阜新 大丰 乐土 红山 柳树 平顶 泉水 新丰 西湖 金川 石河 "
    "青松 白杨 南山 北塔 天池 沙湾 榆树 黄羊 三工 六运 五家 二畦 芳草 梧桐 "
    "玉泉 长宁 永丰 太平 安宁 和平 兴隆 团结 胜利 前进 光明 幸福 新华 育才 "
    "中和 广源 龙泉 凤凰 牡丹 丰收 石门 清水"
)
_SURNAMES = _words(
    "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗"
)
_GIVEN = _words(
    "伟 芳 娜 敏 静 强 磊 军 洋 勇 艳 杰 涛 明 超 霞 平 刚 桂 英 华 建 国 文 斌"
)
_POSTS = ("党委书记", "党委副书记", "镇长", "纪委书记", "组织委员", "宣传委员", "副镇长")
_DEPARTMENTS = ("党建办", "综合执法办", "财政所", "社会事务办", "经济发展办", "村镇规划建设中心")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"20\d\d年")


@dataclass
class Phrases:
    """Clauses of the seed notice (and the corpus), to recombine into problems and measures."""

    problems: list[str]
    measures: list[str]
    places: list[str]

    @classmethod
    def load(cls) -> Phrases:
        problems: list[str] = []
        measures: list[str] = []
        for line in SEED_NOTICE.read_text(encoding="utf-8").splitlines():
            for prefix, target in (("反馈问题:", problems), ("整改情况:", measures)):
                if line.startswith(prefix):
                    target.extend(_clauses(line[len(prefix):]))
        places = sorted({m for m in re.findall(r"[\u4e00-\u9fff]{2}村", " ".join(problems))})
        return cls(problems, measures, places or ["沈家沟村"])


def _clauses(text: str) -> list[str]:
    parts = re.split(r"(?<=[。；;])", text.replace(" ", ""))
    return [p.strip() for p in parts if len(p.strip()) >= 8]


def _vary(rng: random.Random, clause: str, year: int) -> str:
    """The clause with its numbers and years changed, so no two problems read alike."""
    clause = _YEAR.sub(lambda _: f"{rng.randint(year - 3, year)}年", clause)
    return _NUMBER.sub(lambda m: _new_number(rng, m.group()), clause)


def _new_number(rng: random.Random, old: str) -> str:
    if len(old) == 4 and old.startswith("20"):
        return old
    if "." in old:
        return f"{rng.uniform(0.5, 99):.1f}"
    return str(rng.randint(1, max(9, int(old) * 3)))


@dataclass
class Plan:
    """How big each part of the database is for ``problems`` problems."""

    problems: int
    seed: int
    rounds: int = 0
    units: int = 0
    counties: int = 0
    prefectures: int = 0

    def __post_init__(self) -> None:
        per_round = PROBLEMS_PER_UNIT * UNITS_PER_ROUND
        self.rounds = max(1, -(-self.problems // per_round))
        # Each unit is inspected about every fifth round of its committee: units repeat
        # across years (what 屡查屡犯 looks for) without every round naming the same ones.
        self.units = max(UNITS_PER_ROUND, min(self.rounds * UNITS_PER_ROUND // 5 + 30, 60000))
        self.counties = max(2, self.units // 12)
        self.prefectures = max(1, self.counties // 8)


@dataclass
class Result:
    problems: int = 0
    measures: int = 0
    progress: int = 0
    events: int = 0
    units: int = 0
    rounds: int = 0
    users: int = 0
    seconds: float = 0.0
    usernames: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"已生成：{self.rounds} 轮巡察，{self.units} 个被巡察单位，{self.problems} 个问题，"
            f"{self.measures} 条整改措施，{self.progress} 条整改进展，{self.events} 条操作记录，"
            f"{self.users} 个用户；用时 {self.seconds:.1f} 秒"
        )


class Writer:
    """Bulk rows into one table: executemany on SQLite, COPY on PostgreSQL."""

    BATCH = 20000

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.table = model._meta.db_table
        self.columns = list(columns)
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0
        self.postgres = connection.vendor == "postgresql"

    def add(self, *row: Any) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {self.table} ({quoted}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(self.columns))
                raw = cursor.cursor
                raw.executemany(
                    f"INSERT INTO {self.table} ({quoted}) VALUES ({marks})",  # noqa: S608 - model names
                    self.rows,
                )
        self.count += len(self.rows)
        self.rows = []


def _d(value: datetime.date) -> str:
    """A date as both databases read it from text (rows are written as text, not converted)."""
    return value.isoformat()


def _dt(value: datetime.datetime) -> str:
    """A UTC datetime as text both databases read (the connections run in UTC)."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")


class _Entry:
    """Just the fields ``Event.signed_payload`` reads: signing a million entries through the
    model's own payload function without building a million model instances."""

    _content = Event._content
    signed_payload = Event.signed_payload

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)


def _next_id(model: type[models.Model]) -> int:
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return int(last or 0) + 1


def _cn(n: int) -> str:
    from xuncha.notices.names import int_to_cn

    return int_to_cn(n)


def generate(problems: int, seed: int = 1, today: datetime.date | None = None) -> Result:
    """Fill the database with about ``problems`` problems and everything around them.

    Deterministic for a seed (ids aside, which continue after what is there). Refuses nothing:
    run it on an empty, migrated database for figures that mean something.
    """
    started = timezone.now()
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - test data, reproducible on purpose
    phrases = Phrases.load()
    plan = Plan(problems, seed)
    result = Result()
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            # Load-only settings for this connection: a crash mid-load means "generate again".
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _skip_fk_triggers()
        gen = _Generator(rng, phrases, plan, today, result)
        gen.run()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = [Region, Committee, PartyOrganisation, Round, RoundKind, InspectionGroup,
                      Inspection, Problem, Measure, ProgressReport, Event]
            from django.contrib.auth import get_user_model

            for sql in connection.ops.sequence_reset_sql(
                no_style(), [*tables, get_user_model(), Profile]
            ):
                cursor.execute(sql)
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from xuncha.pagecache.version import bump

    bump()  # the COPY above went around Django's cursor, which moves the version otherwise
    result.seconds = (timezone.now() - started).total_seconds()
    return result


def _skip_fk_triggers() -> None:
    """On PostgreSQL, skip the foreign-key triggers for this transaction when allowed.

    The generator assigns every id itself, so the references hold by construction; checking
    millions of them at commit would take longer than writing the rows. Needs a superuser
    (or the replication privilege); without it the checks simply run.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


class _Generator:
    def __init__(
        self, rng: random.Random, phrases: Phrases, plan: Plan, today: datetime.date,
        result: Result,
    ) -> None:
        self.rng, self.phrases, self.plan = rng, phrases, plan
        self.today, self.result = today, result
        self.now = timezone.now().replace(microsecond=0)
        self.categories: list[int | None] = list(
            ProblemCategory.objects.values_list("id", flat=True)
        ) or [None]
        self.key = history.current_key()
        self.pools: dict[tuple[str, int], list[str]] = {}
        self.dates: dict[tuple[datetime.date, int], str] = {}

    def run(self) -> None:
        units = self._regions_and_units()
        committees = self._committees()
        users = self._users(committees, units)
        self._rounds(committees, units, users)
        self.result.units = len(units)

    # --- places and units ---------------------------------------------------------------

    def _name_pool(self, count: int, suffixes: Sequence[str]) -> Iterator[str]:
        """``count`` distinct place names, two syllables and a suffix (a number where needed)."""
        seen: set[str] = set()
        while len(seen) < count:
            name = self.rng.choice(_SYLLABLES) + self.rng.choice(_SYLLABLES)[0]
            name += self.rng.choice(suffixes)
            if name in seen:
                name = f"{name[:-1]}{len(seen)}{name[-1]}"
            seen.add(name)
            yield name

    def _regions_and_units(self) -> list[tuple[int, str, int]]:
        """Regions (州 → 县 → 乡镇) and one unit per township; returns [(unit id, name, county)]."""
        region = Writer(Region, ["id", "name", "level", "parent_id"])
        unit = Writer(PartyOrganisation, ["id", "name", "form", "region_id"])
        next_region, next_unit = _next_id(Region), _next_id(PartyOrganisation)
        units: list[tuple[int, str, int]] = []
        prefectures = list(self._name_pool(self.plan.prefectures, ["州", "市"]))
        counties = list(self._name_pool(self.plan.counties, ["县", "市", "区"]))
        self.prefecture_ids: list[int] = []
        self.unit_regions: dict[int, int] = {}
        per_county = -(-self.plan.units // self.plan.counties)
        for p, pname in enumerate(prefectures):
            pid = next_region
            next_region += 1
            region.add(pid, f"生成{pname}", Region.Level.PREFECTURE.value, None)
            self.prefecture_ids.append(pid)
            for county in counties[p :: len(prefectures)]:
                cid = next_region
                next_region += 1
                region.add(cid, county, Region.Level.COUNTY.value, pid)
                for town in self._name_pool(per_county, ["镇", "乡", "街道"]):
                    if len(units) >= self.plan.units:
                        break
                    tid = next_region
                    next_region += 1
                    region.add(tid, town, Region.Level.TOWNSHIP.value, cid)
                    suffix = "党工委" if town.endswith("街道") else "党委"
                    form = (PartyOrganisation.Form.WORKING_COMMITTEE.value if suffix == "党工委"
                            else PartyOrganisation.Form.COMMITTEE.value)
                    name = f"{pname}{county}{town}{suffix}"
                    unit.add(next_unit, name, form, tid)
                    self.unit_regions[next_unit] = tid
                    units.append((next_unit, name, cid))
                    next_unit += 1
        region.flush()
        unit.flush()
        return units

    def _committees(self) -> list[tuple[int, str]]:
        writer = Writer(Committee, ["id", "name", "short_name", "region_id"])
        first = _next_id(Committee)
        out = []
        for i, pid in enumerate(self.prefecture_ids):
            name = f"生成{first + i}号州党委"
            writer.add(first + i, name, "州党委", pid)
            out.append((first + i, name))
        writer.flush()
        return out

    # --- users ------------------------------------------------------------------------

    def _users(
        self, committees: list[tuple[int, str]], units: list[tuple[int, str, int]]
    ) -> dict[str, Any]:
        """One office and one supervisor account per committee, one account per unit; group
        accounts are added per round (``_rounds``)."""
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        self.password = make_password(GENERATED_PASSWORD)
        self.user_writer = Writer(user_model, [
            "id", "username", "password", "first_name", "last_name", "email", "is_staff",
            "is_active", "is_superuser", "date_joined",
        ])
        self.profile_writer = Writer(Profile, [
            "id", "user_id", "role", "committee_id", "group_id", "unit_id", "body",
        ])
        self.next_user, self.next_profile = _next_id(user_model), _next_id(Profile)
        office: dict[int, tuple[int, str]] = {}
        for cid, _name in committees:
            uid = self._user(f"gen-office-{cid}", Role.OFFICE, committee=cid)
            office[cid] = (uid, f"巡察办{cid}（gen-office-{cid}）")
            self._user(f"gen-jiwei-{cid}", Role.SUPERVISOR, committee=cid, body="纪委监委")
        for uid, _name, _county in units:
            self._user(f"gen-unit-{uid}", Role.UNIT, unit=uid)
        self.result.usernames = {
            "office": f"gen-office-{committees[0][0]}",
            "unit": f"gen-unit-{units[0][0]}",
            "supervisor": f"gen-jiwei-{committees[0][0]}",
        }
        return {"office": office}

    def _user(
        self, username: str, role: Role, *, committee: int | None = None, group: int | None = None,
        unit: int | None = None, body: str = "",
    ) -> int:
        uid = self.next_user
        self.next_user += 1
        first = {"office": "巡察办", "supervisor": "纪委", "unit": "单位", "group": "组"}[role]
        self.user_writer.add(uid, username, self.password, first, str(uid), "", 0, 1, 0,
                             _dt(self.now))
        self.profile_writer.add(self.next_profile, uid, role.value, committee, group, unit, body)
        self.next_profile += 1
        self.result.users += 1
        return uid

    # --- rounds, problems, measures, progress, history -------------------------------

    def _rounds(
        self, committees: list[tuple[int, str]], units: list[tuple[int, str, int]],
        users: dict[str, Any],
    ) -> None:
        rnd = self.rng
        W = Writer
        rounds = W(Round, ["id", "committee_id", "term", "number", "title", "scope_label",
                           "inspection_start", "inspection_end", "feedback_date",
                           "feedback_date_precision", "plan_due_date",
                           "rectification_due_date", "created_at", "identity"])
        kinds = W(RoundKind, ["id", "round_id", "kind", "subject", "order"])
        groups = W(InspectionGroup, ["id", "round_id", "number", "name", "leader"])
        inspections = W(Inspection, ["id", "round_id", "unit_id", "group_id", "order",
                                     "feedback_date", "plan_due_date", "rectification_due_date"])
        self.problems = W(Problem, ["id", "round_id", "unit_id", "order", "heading", "text",
                                    "category_id", "immediate", "status", "plan_state", "version",
                                    "published_rectification", "source_id", "created_at",
                                    "updated_at"])
        self.measures = W(Measure, ["id", "problem_id", "order", "content", "leader",
                                    "department", "due_date", "due_precision", "due_long_term",
                                    "standard", "notes", "status", "signed_off_on", "version",
                                    "created_at", "updated_at"])
        self.progress = W(ProgressReport, ["id", "measure_id", "text", "reported_on", "status",
                                           "created_at"])
        self.events = W(Event, ["id", "at", "actor_id", "actor_name", "action", "round_id",
                                "problem_id", "measure_id", "changes", "comment", "prev_hash",
                                "hash", "key_id"])
        # 屡查屡犯 and 共性 read the problems' LSH band keys (``xuncha.similar``).
        self.bandkeys = BandKeyWriter()
        ids = {m: _next_id(m) for m in (Round, RoundKind, InspectionGroup, Inspection, Problem,
                                       Measure, ProgressReport, Event)}
        head = ChainHead.objects.filter(pk=history.HEAD_ID).first()
        self.last_hash = head.last_hash if head else history.GENESIS
        self.chain_count = head.count if head else 0
        self.unkeyed = head.unkeyed if head else 0
        self.next_event = ids[Event]
        remaining = self.plan.problems
        by_committee = [units[i:: len(committees)] for i in range(len(committees))]
        span_days = max(1, (self.today - datetime.date(FIRST_YEAR, 1, 1)).days - 60)
        total_rounds = self.plan.rounds
        per_committee = -(-total_rounds // len(committees))
        for r in range(total_rounds):
            c_index = r % len(committees)
            cid, _cname = committees[c_index]
            seq = r // len(committees)  # this committee's round number, oldest first
            # Rounds spread evenly from FIRST_YEAR to two months ago, oldest first.
            start = datetime.date(FIRST_YEAR, 1, 1) + datetime.timedelta(
                days=span_days * seq // max(1, per_committee)
            )
            term = f"{_cn(10 + seq // 20)}届"
            number = seq % 20 + 1
            feedback = start + datetime.timedelta(days=75)
            plan_due = feedback + datetime.timedelta(days=30)
            rect_due = feedback + datetime.timedelta(days=180)
            rid = ids[Round]
            ids[Round] += 1
            rounds.add(rid, cid, term, number, "", "乡镇(街道)", _d(start),
                       _d(start + datetime.timedelta(days=58)), _d(feedback),
                       Round.DatePrecision.DAY.value, _d(plan_due), _d(rect_due), _dt(self.now),
                       # Generated rounds state their 届 and 轮: no identity needed.
                       "")
            kinds.add(ids[RoundKind], rid, RoundKind.Kind.REGULAR.value, "", 0)
            ids[RoundKind] += 1
            group_ids = []
            for g in range(GROUPS_PER_ROUND):
                gid = ids[InspectionGroup]
                ids[InspectionGroup] += 1
                leader = rnd.choice(_SURNAMES) + rnd.choice(_GIVEN) + rnd.choice(_GIVEN)
                groups.add(gid, rid, g + 1, f"第{_cn(g + 1)}巡察组", leader)
                group_ids.append(gid)
            # The newest round of each committee gets a group account (組长 of group 1).
            if seq == per_committee - 1 or r >= total_rounds - len(committees):
                self._user(f"gen-group-{group_ids[0]}", Role.GROUP, group=group_ids[0])
            pool = by_committee[c_index]
            chosen = rnd.sample(pool, min(UNITS_PER_ROUND, len(pool)))
            office_id, office_name = users["office"][cid]
            for order, (uid, _uname, _county) in enumerate(chosen):
                if remaining <= 0:
                    break
                inspections.add(ids[Inspection], rid, uid, group_ids[order % GROUPS_PER_ROUND],
                                order, None, None, None)
                ids[Inspection] += 1
                count = min(remaining, rnd.randint(PROBLEMS_PER_UNIT - 4, PROBLEMS_PER_UNIT + 4))
                if r == total_rounds - 1 and order == len(chosen) - 1:
                    count = remaining  # the last unit of the last round takes what is left
                for p in range(count):
                    self._problem(ids, rid, uid, p + 1, feedback, rect_due, office_id,
                                  office_name)
                remaining -= count
        for writer in (rounds, kinds, groups, inspections, self.problems, self.measures,
                       self.progress, self.events, self.user_writer, self.profile_writer,
                       self.bandkeys):
            writer.flush()
        self.result.rounds = rounds.count
        self.result.problems = self.problems.count
        self.result.measures = self.measures.count
        self.result.progress = self.progress.count
        self.result.events = self.events.count
        key = self.key
        head = ChainHead(
            pk=history.HEAD_ID, count=self.chain_count, last_hash=self.last_hash,
            unkeyed=self.unkeyed, rebuilt_at=head.rebuilt_at if head else None,
        )
        head.key_id = key.id
        head.mac = key.sign(head.signed_payload())
        head.updated_at = timezone.now()
        head.save()

    def _texts(self, kind: str, year: int) -> list[str]:
        """A pool of varied clauses per kind and year: varying each clause anew for every row
        would cost more than everything else the generator does."""
        pool = self.pools.get((kind, year))
        if pool is None:
            source = self.phrases.problems if kind == "problem" else self.phrases.measures
            pool = [_vary(self.rng, clause, year) for clause in source for _ in range(40)]
            self.pools[(kind, year)] = pool
        return pool

    def _problem(
        self, ids: dict[Any, int], rid: int, uid: int, order: int, feedback: datetime.date,
        rect_due: datetime.date, office_id: int, office_name: str,
    ) -> None:
        rnd = self.rng
        choice, rand = rnd.choice, rnd.random
        pid = ids[Problem]
        ids[Problem] += 1
        year = feedback.year
        problems, measures = self._texts("problem", year), self._texts("measure", year)
        text = "".join(choice(problems) for _ in range(1 + int(rand() * 3)))
        if rand() < 0.3:
            text = text.replace("村", choice(self.phrases.places), 1)
        age = (self.today - feedback).days
        # Older rounds are mostly finished; recent ones mostly open — as in real data.
        done_share = min(0.95, max(0.05, age / 720))
        roll = rand()
        if roll < done_share * 0.8:
            measure_status = S.SIGNED_OFF
        elif roll < done_share:
            measure_status = S.BASICALLY_DONE
        elif roll < done_share + (1 - done_share) * 0.6:
            measure_status = S.IN_PROGRESS
        else:
            measure_status = S.NOT_STARTED
        published = ""
        if measure_status in (S.SIGNED_OFF, S.BASICALLY_DONE):
            published = choice(measures) + choice(measures)
        created = _dt(datetime.datetime.combine(feedback, datetime.time(9), tzinfo=datetime.UTC))
        n_measures = MEASURES_PER_PROBLEM - 1 + int(rand() * 3)
        statuses: list[S]
        measure_status = S(measure_status)
        if measure_status == S.SIGNED_OFF:
            statuses = [S.SIGNED_OFF] * n_measures
        else:
            statuses = [measure_status, *([S.NOT_STARTED] * (n_measures - 1))]
        started = measure_status != S.NOT_STARTED
        # The problem's status is derived from its measures, as the services do.
        status = problem_status(statuses)
        plan_state = PlanState.APPROVED if started else PlanState.DRAFT
        self.problems.add(pid, rid, uid, order, "", text, choice(self.categories),
                          int(rand() < 0.1), status.value, plan_state.value, 1, published, None,
                          created, created)
        self.bandkeys.add_problem(pid, rid, uid, self.unit_regions[uid], text)
        if started:
            self._event(feedback, 9, office_id, office_name, Action.PLAN_APPROVED, rid, pid,
                        None, {"plan_state": [PlanState.DRAFT.value, PlanState.APPROVED.value]})
        for m in range(n_measures):
            mid = ids[Measure]
            ids[Measure] += 1
            due = self._date(rect_due, int(rand() * 360) - 120)
            leader = choice(_SURNAMES) + choice(_GIVEN) + "（" + choice(_POSTS) + "）"
            mstatus = statuses[m]
            reported = min(self.today, feedback + datetime.timedelta(days=30 + m * 20))
            signed_off_on = _d(reported) if mstatus == S.SIGNED_OFF else None
            self.measures.add(mid, pid, m + 1, choice(measures), leader, choice(_DEPARTMENTS),
                              due, DuePrecision.DAY.value, False, "", "", mstatus.value,
                              signed_off_on, 1, created, created)
            if mstatus != S.NOT_STARTED:
                self.progress.add(ids[ProgressReport], mid, choice(measures), _d(reported),
                                  mstatus.value, created)
                ids[ProgressReport] += 1
                self._event(reported, 10, office_id, office_name, Action.PROGRESS_REPORTED, rid,
                            pid, mid, {"status": [S.NOT_STARTED.value, mstatus.value]})

    def _date(self, base: datetime.date, days: int) -> str:
        key = (base, days)
        text = self.dates.get(key)
        if text is None:
            text = self.dates[key] = _d(base + datetime.timedelta(days=days))
        return text

    def _event(
        self, day: datetime.date, hour: int, actor_id: int, actor_name: str, action: Action,
        rid: int, pid: int | None, mid: int | None, changes: dict[str, Any],
    ) -> None:
        at = datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)
        entry = _Entry(
            prev_hash=self.last_hash, at=at, actor_id=actor_id, actor_name=actor_name,
            action=action.value, round_id=rid, problem_id=pid, measure_id=mid, changes=changes,
            comment="", key_id=self.key.id,
        )
        digest = self.key.sign(entry.signed_payload())  # type: ignore[misc]
        self.events.add(self.next_event, _dt(at), actor_id, actor_name, action.value, rid, pid,
                        mid, json.dumps(changes), "", self.last_hash, digest, self.key.id)
        self.next_event += 1
        self.last_hash = digest
        self.chain_count += 1
