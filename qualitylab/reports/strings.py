"""Every fixed word of the human-readable reports (HTML, Markdown, terminal, XLSX), in English
and Russian, and how each language writes a count, a number and a date.

Same mechanism as the walk and triage apps (``qualitylab.lang.Table``): key -> (English,
Russian), ``str.format`` placeholders that match in both. A counted noun ("n.*" keys) lists its
forms separated by "|": English one|other, Russian one|few|many (1 отчёт, 2 отчёта, 5 отчётов);
``lang.plural_form`` picks one, and is the only plural rule of the package.

What stays as written: the walkers' own words (titles, quotes, suggestions, notes), journey and
step titles, release names and ids. CSV and JSON are machine formats with English keys and
values (``status`` is ``planned``, not a translation) in every language; the Jira CSV keeps the
column names, priorities and labels Jira's field mapping reads, and only its Description (read
by people) follows the language. Pure and light: the CLI may import it at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping

from qualitylab.lang import LANGS, NBSP, Table, plural_form

__all__ = ["COLUMNS_RU", "EN", "LANGS", "STRINGS", "Words", "plural_form"]
#: The model's title (``assemble``): shown in the report's language; another title as written.
DEFAULT_TITLE = "Quality lab report"

#: key -> (English, Russian).
STRINGS: Mapping[str, tuple[str, str]] = {
    # ---------------------------------------------------------------- counted nouns
    "n.walk": ("walk|walks", "проход|прохода|проходов"),
    "n.walker": ("walker|walkers", "участник|участника|участников"),
    "n.report": ("report|reports", "отчёт|отчёта|отчётов"),
    "n.pain": (
        "pain point|pain points",
        "отчёт о проблеме|отчёта о проблемах|отчётов о проблемах",
    ),
    "n.answer": ("answer|answers", "ответ|ответа|ответов"),
    "n.problem": ("problem|problems", "проблема|проблемы|проблем"),
    "n.recurring": (
        "recurring problem|recurring problems",
        "повторяющаяся проблема|повторяющиеся проблемы|повторяющихся проблем",
    ),
    "n.one_off": ("one-off|one-offs", "единичный отчёт|единичных отчёта|единичных отчётов"),
    "n.lone_blocker": (
        "lone blocker|lone blockers",
        "одиночный блокер|одиночных блокера|одиночных блокеров",
    ),
    # severities as counted ("2 blocker, 1 minor" / "2 блокера, 1 незначительная")
    "n.sev.4": ("blocker|blocker", "блокер|блокера|блокеров"),
    "n.sev.3": ("major|major", "серьёзная|серьёзные|серьёзных"),
    "n.sev.2": ("minor|minor", "незначительная|незначительные|незначительных"),
    "n.sev.1": ("cosmetic|cosmetic", "косметическая|косметические|косметических"),
    # ---------------------------------------------------------------- shared words
    "report.title": (DEFAULT_TITLE, "Отчёт лаборатории качества"),
    "scope.all": ("whole lab", "вся лаборатория"),
    "scope.journey": ("journey {journey}", "путь {journey}"),
    "scope.product": ("product {product}", "продукт {product}"),
    "scope.release": ("release {release}", "релиз {release}"),
    "scope.compared": (", compared with release {release}", ", в сравнении с релизом {release}"),
    "none": ("none", "нет"),
    "anonymous": ("anonymous", "анонимно"),
    "untitled": ("(untitled)", "(без названия)"),
    "sev.4": ("blocker", "блокер"),
    "sev.3": ("major", "серьёзная"),
    "sev.2": ("minor", "незначительная"),
    "sev.1": ("cosmetic", "косметика"),
    "dur.s": ("{s} s", "{s} с"),
    "dur.min": ("{m} min", "{m} мин"),
    "dur.min_s": ("{m} min {s} s", "{m} мин {s} с"),
    "dur.h_min": ("{h} h {m} min", "{h} ч {m} мин"),
    "nps.none": ("no answers yet", "ответов пока нет"),
    "nps.small": (
        "only {answers}: the true NPS could be anywhere from {low} to {high} (95 %)",
        "всего {answers}: на самом деле NPS может оказаться любым от {low} до {high} (95 %)",
    ),
    "nps.range": ("small n: {low}..{high}", "мало ответов: {low}..{high}"),
    "status.open": ("open", "открыта"),
    "status.planned": ("planned", "в плане"),
    "status.fixed": ("fixed", "исправлена"),
    "status.wont_fix": ("won't fix", "не будем исправлять"),
    "status.in": ("{status} in {release}", "{status}: {release}"),
    "status.in.planned": ("planned in {release}", "в плане на {release}"),
    "status.in.fixed": ("fixed in {release}", "исправлена в {release}"),
    "status.regressed": ("REGRESSED (fixed in {release})", "ВЕРНУЛАСЬ (исправлена в {release})"),
    "fix.merged": ("merged {title} ({id})", "присоединена «{title}» ({id})"),
    "fix.moved_in": ("{count} moved in", "перенесено сюда: {count}"),
    "fix.moved_out": ("{count} moved out", "вынесено: {count}"),
    "score.product": (
        "100 × reach {reach} × severity {severity} × impact {impact} × persistence {persistence}",
        "100 × охват {reach} × серьёзность {severity} × влияние {impact} × "
        "повторяемость {persistence}",
    ),
    "flag.blocker": ("BLOCKER stops {share}", "БЛОКЕР: останавливает {share}"),
    "flag.regressed": ("REGRESSED", "ВЕРНУЛАСЬ"),
    "flag.one": ("one report", "один отчёт"),
    "flag.check": ("check: {what}", "проверить: {what}"),
    "check.mixed": ("may mix two problems", "возможно, тут две проблемы"),
    "check.few": ("fewer than 3 walkers", "меньше 3 участников"),
    "fix.order": (
        "Problems in priority order: blockers first (enough walkers rated it a blocker; a "
        "regressed one first, then the ones that stop the largest share of the walkers on their "
        "steps, the % on the BLOCKER flag), then regressions, then by score; fixed and won't fix "
        "last.",
        "Проблемы идут по приоритету: сначала блокеры (достаточно участников назвали проблему "
        "блокером; первой — вернувшаяся, дальше те, что останавливают наибольшую долю "
        "участников на своих шагах, — это процент на метке БЛОКЕР), затем вернувшиеся, затем по "
        "баллу; исправленные и те, что не будем исправлять, — в конце.",
    ),
    "fix.formula": (
        "Score = 100 × reach × severity × impact × persistence (each 0-1).",
        "Балл = 100 × охват × серьёзность × влияние × повторяемость (каждый множитель от 0 до 1).",
    ),
    "fix.none": ("No recurring problem yet.", "Повторяющихся проблем пока нет."),
    # the headline: the header as short sentences, the same in every format
    "hl.scope": ("Scope: {scope}", "Область: {scope}"),
    "hl.journeys": ("Journeys: {journeys}", "Пути: {journeys}"),
    "hl.releases": ("Releases: {releases}", "Релизы: {releases}"),
    "hl.walks": ("Walks: {walks} by {walkers}", "Проходы: {walks}, {walkers}"),
    "hl.when": ("{first} to {last}", "с {first} по {last}"),
    "hl.outcome": (
        "Completed {completed} ({completed_share}), abandoned {abandoned} ({abandoned_share}), "
        "in progress {in_progress}",
        "Завершено {completed} ({completed_share}), брошено {abandoned} ({abandoned_share}), "
        "в процессе {in_progress}",
    ),
    "hl.median": (
        "Median walk time (time on steps, completed walks): {time}",
        "Медианное время прохода (время на шагах, завершённые проходы): {time}",
    ),
    "hl.pains": ("Pain points: {count}", "Отчёты о проблемах: {count}"),
    "hl.outside": (" ({count} logged outside a walk)", " (вне проходов: {count})"),
    "hl.problems": (
        "; {problems}, {one_offs} of severity major or worse",
        "; {problems}, {one_offs} с серьёзностью «серьёзная» и выше",
    ),
    # the comparison of two releases
    # a change kind: one problem's (a row, a note), and the totals' (Russian agrees in number)
    "kind.regressed": ("regressed", "вернулась"),
    "kind.new": ("new", "новая"),
    "kind.persisting": ("persisting", "осталась"),
    "kind.resolved": ("resolved", "решена"),
    "kind.not_seen_again": ("not seen again", "больше не встречалась"),
    "kinds.regressed": ("regressed", "вернулись"),
    "kinds.new": ("new", "новые"),
    "kinds.persisting": ("persisting", "остались"),
    "kinds.resolved": ("resolved", "решены"),
    "kinds.not_seen_again": ("not seen again", "больше не встречались"),
    "cmp.reports_in": ("reports in {release}", "отчётов в {release}"),
    "cmp.reports_in_head": ("Reports in {release}", "Отчётов в {release}"),
    "cmp.expected": ("{count} ({walkers} expected)", "{count} (ожидалось: {walkers})"),
    "cmp.rule.resolved": (
        "resolved: no report in {to}, though {min_walkers} reported it in {frm} and, at "
        "that share of its steps' walkers, {min_expected}+ would have in {to} (seeing none is then "
        "a 5 % chance if nothing changed).",
        "решена: в {to} отчётов нет, хотя в {frm} о проблеме сообщили {min_walkers}, и "
        "при той же доле среди участников её шагов в {to} сообщили бы {min_expected}+ (если бы "
        "ничего не изменилось, не увидеть ни одного — шанс 5 %).",
    ),
    "cmp.rule.not_seen": (
        "not seen again: no report in {to}, but too few walkers reported it before, or walked its "
        "steps in {to}, to call it fixed.",
        "больше не встречалась: в {to} отчётов нет, но раньше о проблеме сообщили слишком мало "
        "участников (или слишком мало прошли её шаги в {to}), чтобы считать её исправленной.",
    ),
    "cmp.rule.expected": (
        "expected: walkers of {to} who would have hit it at {frm}'s rate.",
        "ожидалось: сколько участников {to} столкнулись бы с проблемой с той же частотой, что в "
        "{frm}.",
    ),
    "cmp.title": ("Release {frm} → {to}", "Релиз {frm} → {to}"),
    "col.change": ("Change", "Изменение"),
    "col.problem": ("Problem", "Проблема"),
    "col.status": ("Status", "Статус"),
    "col.severity": ("Severity", "Серьёзность"),
    "col.release": ("Release", "Релиз"),
    "col.walker": ("Walker", "Участник"),
    "col.wrote": ("What they wrote", "Что написали"),
    "col.suggested": ("Suggested fix", "Как исправить"),
    "col.step": ("Step", "Шаг"),
    "col.score": ("Score", "Балл"),
    "col.walkers": ("Walkers", "Участники"),
    "col.reports": ("Reports", "Отчёты"),
    "col.stopped": ("Stopped here", "Остановились здесь"),
    "col.median": ("Median time", "Медианное время"),
    "col.ease": ("Ease", "Лёгкость"),
    "col.pains": ("Pain points", "Проблемы"),
    # section headings
    "sec.nps": ("Would recommend (NPS)", "Готовность рекомендовать (NPS)"),
    "sec.map": ("Journey friction map", "Карта трудностей по путям"),
    "sec.fixes": ("Fix list", "Список исправлений"),
    "sec.more": ("More problems", "Другие проблемы"),
    "sec.one_offs": ("One-offs, major or worse", "Единичные отчёты: серьёзные и блокеры"),
    "sec.praise": ("Praise — don't break this", "Похвала — не сломайте это"),
    "sec.comments": ("Closing comments", "Итоговые комментарии"),
    "none.": ("None.", "Нет."),
    "none_yet": ("None yet.", "Пока нет."),
    "would_recommend": (", would recommend {nps}/10", ", готовность рекомендовать {nps}/10"),
    "one_offs.note": (
        "Reported once and in no recurring problem (the blockers among them are also in the fix "
        'list above, as "one report")',
        "Сообщены один раз и не входят ни в одну повторяющуюся проблему (блокеры среди них есть "
        "и в списке исправлений выше, с меткой «один отчёт»)",
    ),
    "fix.suggested": ("Suggested fixes:", "Предложенные исправления:"),
    "nps.all": ("All walks", "Все проходы"),
    # ---------------------------------------------------------------- HTML only
    # the bars' tooltips, by the bar's part (English shows the part's own name)
    "bar.done": ("done", "готово"),
    "bar.friction": ("friction", "с трудом"),
    "bar.blocked": ("blocked", "заблокировано"),
    "bar.skipped": ("skipped", "пропущено"),
    "bar.unanswered": ("unanswered", "без ответа"),
    "bar.reach": ("reach", "дошли"),
    "bar.gone": ("gone", "не дошли"),
    "bar.promoters": ("promoters", "сторонники"),
    "bar.passives": ("passives", "нейтральные"),
    "bar.detractors": ("detractors", "критики"),
    "h.toc.praise": ("Praise and closing comments", "Похвала и итоговые комментарии"),
    "quote.open": ("“", "«"),
    "quote.close": ("”", "»"),
    "cmp.total": ("{n} {kind}", "{kind}: {n}"),
    "h.mix_aria": ("outcome mix", "чем закончился шаг"),
    "h.generated": ("generated {when} UTC", "сформирован {when} UTC"),
    "h.kpi.walks": ("{walks} by {walkers}", "{walks}, {walkers}"),
    "h.kpi.completed": (
        "completed ({completed}); {abandoned} abandoned",
        "завершено ({completed}); брошено: {abandoned}",
    ),
    "h.kpi.median": ("median walk (time on steps)", "медианный проход (время на шагах)"),
    "h.kpi.nps": ("NPS, n = {n}", "NPS, n = {n}"),
    "h.kpi.small": (" (small sample)", " (мало ответов)"),
    "h.kpi.pains": ("{pains}; {problems}", "{pains}; {problems}"),
    "h.hurt": ("Steps that hurt most:", "Самые трудные шаги:"),
    "h.hurt.one": (
        "{step} ({journey}: {share} blocked or skipped, ease {ease})",
        "{step} ({journey}: заблокировано или пропущено {share}, лёгкость {ease})",
    ),
    "h.contents": ("Contents", "Содержание"),
    "h.nps.note": (
        "“Would you recommend this to a friend?” 0-10: promoters 9-10, passives 7-8, "
        "detractors 0-6. NPS = % promoters − % detractors (−100 to +100).",
        "«Порекомендуете ли вы это другу?» 0-10: сторонники 9-10, нейтральные 7-8, "
        "критики 0-6. NPS = % сторонников − % критиков (от −100 до +100).",
    ),
    "h.promoters": ("promoters", "сторонники"),
    "h.passives": ("passives", "нейтральные"),
    "h.detractors": ("detractors", "критики"),
    "h.by_journey": ("By journey", "По путям"),
    "h.by_release": ("By release", "По релизам"),
    "h.nps_split": ("NPS split {label}", "Состав NPS: {label}"),
    "h.map.note": (
        "Per step: walks that reached it (bar: share of the journey's walks), how the step ended, "
        "where abandoned walks stopped, median time on the step, mean ease (1-7; the line marks "
        "{reference}, the usual average — red bars are below it) and pain points by severity. "
        "Highlighted steps stand out: a quarter or more of walks blocked or skipped, or the "
        "hardest step of its journey (lowest ease, under {reference}).",
        "По каждому шагу: сколько проходов до него дошли (полоса — доля от всех проходов пути), "
        "чем шаг закончился, где остановились брошенные проходы, медианное время на шаге, "
        "средняя лёгкость (1-7; черта — {reference}, обычное среднее, красные полосы ниже неё) "
        "и проблемы по серьёзности. Выделены шаги, которые выбиваются: заблокирована или "
        "пропущена четверть проходов и больше, или это самый трудный шаг пути (наименьшая "
        "лёгкость, ниже {reference}).",
    ),
    "outcome.done": ("done", "готово"),
    "outcome.friction": ("with friction", "с трудом"),
    "outcome.blocked": ("blocked", "заблокировано"),
    "outcome.skipped": ("skipped", "пропущено"),
    "outcome.unanswered": ("no answer", "без ответа"),
    "h.ease_ref": ("ease {reference}", "лёгкость {reference}"),
    "h.journey.note": (
        "{walks} by {walkers}; completed {completed}, abandoned {abandoned}; NPS {nps} (n = {n}).",
        "{walks}, {walkers}; завершено {completed}, брошено {abandoned}; NPS {nps} (n = {n}).",
    ),
    "h.col.reached_funnel": ("Reached (funnel)", "Дошли (воронка)"),
    "h.col.mix": ("Outcome mix", "Чем закончился"),
    "h.col.bad": ("Blocked / skipped", "Заблок. / пропущ."),
    "h.label.reached": ("Reached", "Дошли"),
    "h.label.bad": ("Blocked/skipped", "Заблок./пропущ."),
    "h.stands_out": ("stands out", "выбивается"),
    "h.reached_of": ("reached {reached} of {walks}", "дошли {reached} из {walks}"),
    "h.mix_count": (
        "{done} done · {friction} friction · {blocked} blocked · {skipped} skipped",
        "готово {done} · с трудом {friction} · заблокировано {blocked} · пропущено {skipped}",
    ),
    "h.ease_aria": (
        "ease {ease} of 7, reference {reference}",
        "лёгкость {ease} из 7, ориентир {reference}",
    ),
    "h.fix.note": ("Quotes are what walkers wrote.", "Цитаты — слова участников."),
    "h.check.flag": ("check: …", "проверить: …"),
    "h.check.note": (
        "marks a problem the lab is unsure of: <b>may mix two problems</b> — its reports share "
        "words but split cleanly in two (read the quotes before you fix it; <code>fix split</code> "
        "splits it, as <code>qualitylab fixes</code> says); <b>fewer than 3 walkers</b> — too few "
        "people to read much into its size.",
        "отмечает проблему, в которой лаборатория не уверена: <b>возможно, тут две проблемы</b> — "
        "в отчётах общие слова, но они чётко делятся на две группы (прочитайте цитаты, прежде "
        "чем исправлять; разделить можно командой <code>fix split</code>, как подсказывает "
        "<code>qualitylab fixes</code>); <b>меньше 3 участников</b> — слишком мало людей, чтобы "
        "судить по размеру.",
    ),
    "h.dt.score": ("Score", "Балл"),
    "h.dt.reach": ("Reach", "Охват"),
    "h.dt.steps": ("Steps", "Шаги"),
    "h.dt.owner": ("Owner", "Ответственный"),
    "h.dt.by_hand": ("By hand", "Вручную"),
    "h.dt.releases": ("Releases", "Релизы"),
    "h.dt.id": ("Id", "Id"),
    "h.reach": (
        "{walkers} ({share} of those on its steps), {reports}",
        "{walkers} ({share} от прошедших её шаги), {reports}",
    ),
    "h.ticket": ("ticket {ticket}", "задача {ticket}"),
    "h.hidden": (
        "… and {count} more {problems}: the CSV, XLSX and JSON exports list every one.",
        "… и ещё {count} {problems}: полный список — в выгрузках CSV, XLSX и JSON.",
    ),
    "h.one_offs.note": (
        "{note}. In a small lab these are often the most important lines.",
        "{note}. В небольшой лаборатории это часто самые важные строки.",
    ),
    "h.col.where": ("Where", "Где"),
    "h.one_offs.more": (
        "… and {count} more (CSV, XLSX, JSON).",
        "… и ещё {count} (CSV, XLSX, JSON).",
    ),
    "h.footer": (
        "Made by qualitylab (report schema {schema}). Every number comes from the lab's walks; "
        "the fix list is the one <code>qualitylab fixes</code> shows.",
        "Сделано в qualitylab (схема отчёта {schema}). Все числа взяты из проходов лаборатории; "
        "список исправлений тот же, что показывает <code>qualitylab fixes</code>.",
    ),
    # ---------------------------------------------------------------- Markdown only
    "md.generated": ("Generated {when}", "Сформирован {when}"),
    "md.col.group": ("Group", "Группа"),
    "md.col.promoters": ("Promoters 9-10", "Сторонники 9-10"),
    "md.col.passives": ("Passives 7-8", "Нейтральные 7-8"),
    "md.col.detractors": ("Detractors 0-6", "Критики 0-6"),
    "md.col.note": ("Note", "Примечание"),
    "md.journey": ("Journey: {label}", "Путь: {label}"),
    "md.release": ("Release: {label}", "Релиз: {label}"),
    "md.map.note": (
        "Ease is the mean of a 1-7 ease rating (the usual average is {reference}). **Bold** steps "
        "stand out: a quarter or more of walks blocked or skipped, or the hardest step of its "
        "journey (lowest ease, under {reference}).",
        "Лёгкость — средняя оценка по шкале 1-7 (обычное среднее — {reference}). **Жирным** "
        "выделены шаги, которые выбиваются: заблокирована или пропущена четверть проходов и "
        "больше, или это самый трудный шаг пути (наименьшая лёгкость, ниже {reference}).",
    ),
    "md.journey.note": (
        "{walks} by {walkers}; completed {completed}, abandoned {abandoned}; NPS {nps} (n = {n})",
        "{walks}, {walkers}; завершено {completed}, брошено {abandoned}; NPS {nps} (n = {n})",
    ),
    "md.col.reached": ("Reached", "Дошли"),
    "md.col.mix": (
        "Done / friction / blocked / skipped",
        "Готово / с трудом / заблокировано / пропущено",
    ),
    "md.col.bad": ("Blocked or skipped", "Заблокировано или пропущено"),
    "md.score": ("Score **{score}** = {product}", "Балл **{score}** = {product}"),
    "md.reach": (
        "Reach: {walkers} ({share} of those on its steps), {reports}: {severities}",
        "Охват: {walkers} ({share} от прошедших её шаги), {reports}: {severities}",
    ),
    "md.steps": ("Steps: {steps}", "Шаги: {steps}"),
    "md.status": ("Status: {status}", "Статус: {status}"),
    "md.owner": ("Owner: {owner}; ticket: {ticket}", "Ответственный: {owner}; задача: {ticket}"),
    "md.by_hand": ("By hand: {what}", "Вручную: {what}"),
    "md.releases": ("Releases: {releases}", "Релизы: {releases}"),
    "md.id": ("Id: {id}", "Id: {id}"),
    "md.hidden": (
        "… and {count} more {problems} (CSV, XLSX and JSON list every one).",
        "… и ещё {count} {problems} (полный список — в CSV, XLSX и JSON).",
    ),
    "md.one_offs.note": (
        "{note}; in a small lab these matter most.",
        "{note}; в небольшой лаборатории они важнее всего.",
    ),
    "md.more": ("… and {count} more.", "… и ещё {count}."),
    # ---------------------------------------------------------------- terminal only
    "t.group": ("group", "группа"),
    "t.prom": ("prom", "стор"),
    "t.pass": ("pass", "нейтр"),
    "t.detr": ("detr", "крит"),
    "t.all": ("all walks", "все проходы"),
    "t.release": ("release {label}", "релиз {label}"),
    "t.journey": ("{title} ({id}): {walks}, NPS {nps}", "{title} ({id}): {walks}, NPS {nps}"),
    "t.step": ("step", "шаг"),
    "t.reached": ("reached", "дошли"),
    "t.mix": ("ok/fric/\nblk/skip", "гот/труд/\nблок/проп"),
    "t.bad": ("blk+skip", "блок+\nпроп"),
    "t.stop": ("stop", "ушли"),
    "t.median": ("median", "медиана"),
    "t.ease": ("ease", "лёгк"),
    "t.pains": ("pains", "пробл"),
    "t.blk": (" ({count} blk)", " ({count} блок)"),
    "t.no_fixes": (
        "No recurring problem yet (one-offs: the HTML, Markdown or CSV report).",
        "Повторяющихся проблем пока нет (единичные — в отчёте HTML, Markdown или CSV).",
    ),
    "t.top": ("Top problems", "Главные проблемы"),
    "t.score": ("score", "балл"),
    "t.problem": ("problem", "проблема"),
    "t.who": ("who", "кто"),
    "t.status": ("status", "статус"),
    "t.kinds": (
        " ({recurring} recurring, {lone} of one report each)",
        " (повторяющихся: {recurring}; {lone} по одному отчёту)",
    ),
    "t.footer": (
        "Top {top} of {total}{kinds}; {one_offs} of severity 3-4.",
        "Первые {top} из {total}{kinds}; {one_offs} с серьёзностью 3-4.",
    ),
    "t.whole": (
        "The whole report: qualitylab report --format html -o report.html",
        "Полный отчёт: qualitylab report --lang ru --format html -o report.html",
    ),
    # ---------------------------------------------------------------- Jira CSV's Description
    "jira.summary": ("Problem {id}", "Проблема {id}"),
    # a title a spreadsheet would run as a formula ("=...", "-5% ...") gets this lead in Jira
    "jira.summary_led": ("Problem {id}: {title}", "Проблема {id}: {title}"),
    "jira.head": (
        "Quality lab problem {id} (stable id: later exports carry it too).",
        "Проблема {id} из лаборатории качества (id постоянный: он будет и в следующих выгрузках).",
    ),
    "jira.rank": (
        "Rank {rank}, score {score} = {product}.",
        "Место {rank}, балл {score} = {product}.",
    ),
    "jira.reach": (
        "Reach {share} of the walkers on its steps; severity {mean} mean / {worst} worst.",
        "Охват: {share} участников на её шагах; серьёзность: средняя {mean}, худшая {worst}.",
    ),
    "jira.counts": ("{walkers}, {reports} ({severities}).", "{walkers}, {reports} ({severities})."),
    "jira.steps": ("Steps: {steps}", "Шаги: {steps}"),
    "jira.releases": ("Releases: {releases}", "Релизы: {releases}"),
    "jira.decision": ("Decision: {decision}.", "Решение: {decision}."),
    "jira.owner": ("; owner {owner}", "; ответственный: {owner}"),
    "jira.merged": ("Merged by hand: {ids}", "Объединено вручную: {ids}"),
    "jira.check": ("Check before you fix: {what}.", "Проверьте, прежде чем исправлять: {what}."),
    "jira.quotes": ("What walkers wrote:", "Что написали участники:"),
    # ---------------------------------------------------------------- XLSX only
    "x.sheet.fixes": ("Fix list", "Список исправлений"),
    "x.sheet.pains": ("Pain points", "Отчёты о проблемах"),
    "x.sheet.steps": ("Steps", "Шаги"),
    "x.sheet.nps": ("NPS", "NPS"),
    "x.sheet.compare": ("Release comparison", "Сравнение релизов"),
    "x.expected": ("expected walkers", "ожидалось участников"),
    # the lab's own values in the workbook's cells (a status or a severity stays its code)
    "yes": ("yes", "да"),
    "x.group.all": ("all", "все"),
    "x.group.journey": ("journey", "путь"),
    "x.group.release": ("release", "релиз"),
}

#: XLSX column headers in Russian, by the English column name (the CSV's and JSON's keys); the
#: English workbook shows the column names themselves.
COLUMNS_RU: Mapping[str, str] = {
    "pain_point_id": "id отчёта",
    "problem_id": "id проблемы",
    "problem": "проблема",
    "journey": "путь",
    "step": "шаг",
    "severity": "серьёзность",
    "severity_name": "серьёзность (код)",
    "category": "категория",
    "release": "релиз",
    "walker": "участник",
    "text": "текст",
    "suggested_fix": "как исправить",
    "created_at": "создан",
    "rank": "место",
    "title": "название",
    "score": "балл",
    "reach": "охват",
    "severity_mean": "серьёзность, средняя",
    "severity_max": "серьёзность, худшая",
    "impact": "влияние",
    "persistence": "повторяемость",
    "severity_factor": "множитель серьёзности",
    "impact_factor": "множитель влияния",
    "persistence_factor": "множитель повторяемости",
    "blocker_share": "доля блокеров",
    "blocker": "блокер",
    "regressed": "вернулась",
    "one_off": "единичная",
    "walkers": "участники",
    "reports": "отчёты",
    "blocker_reports": "отчёты: блокер",
    "major_reports": "отчёты: серьёзная",
    "minor_reports": "отчёты: незначительная",
    "cosmetic_reports": "отчёты: косметика",
    "steps": "шаги",
    "releases": "релизы",
    "status": "статус (код)",
    "status_release": "релиз статуса",
    "status_note": "заметка",
    "owner": "ответственный",
    "ticket": "задача",
    "merged_by_hand": "объединено вручную",
    "check": "проверить",
    "cohesion": "связность",
    "quotes": "цитаты",
    "suggested_fixes": "предложенные исправления",
    "reached": "дошли",
    "done": "готово",
    "with_friction": "с трудом",
    "blocked": "заблокировано",
    "skipped": "пропущено",
    "unanswered": "без ответа",
    "dropped_here": "остановились здесь",
    "median_seconds": "медиана, с",
    "mean_ease": "средняя лёгкость",
    "ease_answers": "оценок лёгкости",
    "stands_out": "выбивается",
    "group": "группа",
    "label": "подпись",
    "answers": "ответы",
    "promoters": "сторонники",
    "passives": "нейтральные",
    "detractors": "критики",
    "nps": "NPS",
    "low_95": "нижняя граница 95 %",
    "high_95": "верхняя граница 95 %",
    "small_n": "мало ответов",
    "change": "изменение",
}


class Words(Table):
    """The report's words and numbers in one language (``en`` or ``ru``)."""

    def __init__(self, lang: str = "en") -> None:
        super().__init__(lang, STRINGS)

    # ------------------------------------------------------------------ numbers
    def plain(self, n: int) -> str:
        """A whole number where the English report writes it ungrouped (table cells: 1234);
        Russian groups every number the same way (1 234), so its report never mixes the two."""
        return self.num(n) if self.lang == "ru" else str(n)

    def pct(self, part: float, whole: float) -> str:
        """A share as a whole percent ("67 %"); "—" for nothing to divide by."""
        return self.share(part / whole) if whole else "—"

    def share(self, fraction: float) -> str:
        """ "67 %"; in Russian the space is a no-break one, so "67" and "%" never part."""
        return f"{100 * fraction:.0f}{NBSP if self.lang == 'ru' else ' '}%"

    def date(self, iso: str) -> str:
        """A day of an ISO time: 2026-11-02 / 02.11.2026."""
        day = iso[:10]
        if self.lang != "ru" or len(day) != 10:
            return day
        return f"{day[8:10]}.{day[5:7]}.{day[:4]}"

    def moment(self, iso: str) -> str:
        """A time to the minute, UTC: 2026-11-02 09:01 / 02.11.2026 09:01."""
        return f"{self.date(iso)} {iso[11:16]}".rstrip()

    # ------------------------------------------------------------------ words
    def count(self, n: int, noun: str, *, grouped: bool = True) -> str:
        """ "4 walkers" / "4 участника" (``grouped=False``: English as ``plain`` writes it)."""
        return f"{self.num(n) if grouped else self.plain(n)} {self.noun(n, noun)}"

    def severity(self, level: int) -> str:
        return self(f"sev.{level}") if f"sev.{level}" in STRINGS else str(level)

    def status_word(self, status: str) -> str:
        key = f"status.{status}"
        return self(key) if key in STRINGS else status.replace("_", " ")

    def kind(self, kind: str, *, total: bool = False) -> str:
        """A release change as a person reads it ("not_seen_again" -> "not seen again"); a
        total's form with ``total`` (Russian: "решена" for a row, "решены: 3" for the total)."""
        key = f"kinds.{kind}" if total else f"kind.{kind}"
        return self(key) if key in STRINGS else kind.replace("_", " ")

    def walker(self, name: str) -> str:
        return self("anonymous") if name == "anonymous" else name

    def title(self, title: str) -> str:
        return self("report.title") if title == DEFAULT_TITLE else title

    def column(self, name: str) -> str:
        """An XLSX column header: the column's key in English, its words in Russian."""
        return COLUMNS_RU.get(name, name) if self.lang == "ru" else name


#: English, the default of every renderer.
EN = Words("en")
