"""Every word of the triage app, in English and Russian, on top of the walk app's shared words.

Same mechanism as ``qualitylab.tui.i18n``: key -> (English, Russian), ``str.format`` placeholders
matching in both. Problem titles, report texts and journey content are shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping

from qualitylab.tui.i18n import STRINGS

_TRIAGE: dict[str, tuple[str, str]] = {
    "tri.title": ("QualityLab triage", "QualityLab · разбор"),
    "tri.sub": ("the product owner's view", "взгляд владельца продукта"),
    "tri.loading": ("Building the fix list…", "Собираем список исправлений…"),
    "tri.scope.all": ("whole lab", "вся лаборатория"),
    "tri.scope.journey": ("journey {journey}", "путь {journey}"),
    "tri.scope.release": ("release {release}", "релиз {release}"),
    # --- keys ---
    "tk.journeys": ("Journeys", "Пути"),
    "tk.fixes": ("Fix list", "Исправления"),
    "tk.oneoffs": ("One-offs", "Единичные"),
    "tk.filter": ("Filter", "Фильтр"),
    "tk.its_fixes": ("Its fix list", "Его исправления"),
    "tk.search": ("Search", "Поиск"),
    "tk.sort": ("Sort", "Порядок"),
    "tk.reverse": ("Reverse", "Обратно"),
    "tk.open": ("Open", "Открыть"),
    "tk.decide": ("Decide", "Решение"),
    "tk.owner": ("Owner", "Ответств."),
    "tk.ticket": ("Ticket", "Задача"),
    "tk.merge": ("Merge", "Слить"),  # "Объединить" cut "? Справка" off an 80-column footer
    "tk.move": ("Move out", "Вынести"),
    "tk.mark": ("Mark", "Отметить"),
    "tk.split": ("Split", "Разбить"),
    "tk.attach": ("Attach", "Привязать"),
    "tk.undo": ("Undo", "Отменить"),
    "tk.export": ("Export", "Экспорт"),
    "tk.reload": ("Reload", "Обновить"),
    "tk.back": ("Back", "Назад"),
    "tk.clear": ("Clear filter", "Сбросить фильтр"),
    # --- fix list ---
    # counted nouns (Translator.count): English one|other, Russian one|few|many
    "n.walker": ("walker|walkers", "участник|участника|участников"),
    "n.report": ("report|reports", "отчёт|отчёта|отчётов"),
    # after "of" / "из": Russian takes the genitive (из 1 проблемы, из 2 проблем, из 5 проблем)
    "n.of_problems": ("problem|problems", "проблемы|проблем|проблем"),
    "fl.heading": (
        "Fix list · {scope} · {shown} of {problems} · {reports}",
        "Исправления · {scope} · {shown} из {problems} · {reports}",
    ),
    "fl.filters": ("filter: {what}", "фильтр: {what}"),
    "fl.blockers_only": ("blockers only", "только блокеры"),
    "fl.sorted": ("sorted by {column}{reverse}", "сортировка: {column}{reverse}"),
    "fl.rank_rule": (
        "BLOCKER n%: stops n% of those reaching it; blockers first, by n",
        "БЛОКЕР n%: мешает n% дошедших; блокеры первыми, по n",
    ),
    "fl.reversed": (" (reversed)", " (обратная)"),
    "fl.search_ph": ("Type to search titles, quotes, ids…", "Поиск по заголовкам, цитатам, id…"),
    "fl.merged": ("{n} merged in by hand", "объединено вручную: {n}"),
    "fl.none": ("No problem matches the filter.", "Ни одна проблема не подходит под фильтр."),
    "fl.empty": (
        "No pain points yet: walk a journey (qualitylab walk) or load the demo (qualitylab demo).",
        "Проблем пока нет: пройдите путь (qualitylab walk) или загрузите демо (qualitylab demo).",
    ),
    "col.rank": ("#", "№"),
    "col.score": ("score", "балл"),
    "col.reach": ("reach", "охват"),
    "col.sev": ("sev", "серьёзн"),
    "col.impact": ("impact", "влияние"),
    "col.persist": ("persist", "повтор"),
    "col.walkers": ("who", "кто"),
    "col.reports": ("reports", "отчёты"),
    "col.walkers_long": ("walkers", "участники"),
    "col.status": ("status", "статус"),
    "col.problem": ("problem", "проблема"),
    "col.owner": ("owner", "ответств."),
    "col.ticket": ("ticket", "задача"),
    "col.severity": ("sev", "серьёзн"),
    "col.step": ("step", "шаг"),
    "col.walker": ("walker", "участник"),
    "col.release": ("release", "релиз"),
    "col.date": ("date", "дата"),
    "col.text": ("text", "текст"),
    "col.journey": ("journey", "путь"),
    "col.walks": ("walks", "проходы"),
    "col.completion": ("done", "завершено"),
    "col.abandoned": ("abandoned", "брошено"),
    "col.nps": ("NPS", "NPS"),
    "col.reached": ("reached", "дошли"),
    "col.mix": ("outcomes", "итоги"),
    "col.ease": ("ease", "лёгкость"),
    "col.time": ("time", "время"),
    "col.pains": ("pains", "проблемы"),
    "col.dropped": ("left", "ушли"),
    "col.similarity": ("similar", "сходство"),
    "status.open": ("open", "открыта"),
    "status.planned": ("planned", "в плане"),
    "status.fixed": ("fixed", "исправлена"),
    "status.wont_fix": ("won't fix", "не будем"),
    "status.blocker": ("BLOCKER", "БЛОКЕР"),
    "status.regressed": ("REGRESSED", "ВЕРНУЛАСЬ"),
    "anonymous": ("anonymous", "анонимно"),
    # --- filter dialog ---
    "flt.title": ("Filter the fix list", "Фильтр списка"),
    "flt.journey": ("Journey", "Путь"),
    "flt.release": ("Release", "Релиз"),
    "flt.status": ("Status", "Статус"),
    "flt.any": ("any", "любой"),
    "flt.actionable": ("open or planned", "открытые и в плане"),
    "flt.blockers": ("Blockers only", "Только блокеры"),
    "flt.apply": ("Apply", "Применить"),
    # --- problem ---
    "pr.heading": ("Problem {id}", "Проблема {id}"),
    "pr.rank": (
        "#{rank} · score {score} · {walkers} · {reports}",
        "№{rank} · балл {score} · {walkers} · {reports}",
    ),
    "pr.decision": ("Decision", "Решение"),
    "pr.no_decision": ("nobody decided yet", "решения ещё нет"),
    "pr.owner": ("owner {owner}", "ответственный {owner}"),
    "pr.ticket": ("ticket {ticket}", "задача {ticket}"),
    "pr.note": ("note: {note}", "заметка: {note}"),
    "pr.in_release": ("in {release}", "в {release}"),
    "pr.score": ("Why this score", "Откуда балл"),
    "pr.where": ("Where", "Где"),
    "pr.releases": ("Releases: {releases}", "Релизы: {releases}"),
    "pr.quotes": ("Quotes", "Цитаты"),
    "pr.fixes": ("Suggested fixes", "Предложенные исправления"),
    "pr.similar": ("Similar problems (m to merge)", "Похожие проблемы (m — объединить)"),
    "pr.no_similar": ("No similar problem found.", "Похожих проблем не найдено."),
    "pr.looks_mixed": (
        "Check: its reports may be two problems sharing words (cohesion {cohesion}); "
        "move the stray ones out (x).",
        "Проверьте: здесь могут быть две разные проблемы с похожими словами (связность "
        "{cohesion}); вынесите лишние отчёты (x).",
    ),
    # few: 1 or 2 walkers (fewer than 3); each count in its own words
    "pr.few_walkers": (
        "Check: only {n} walkers reported it, too few to read much into its size.",
        "Проверьте: об этом сообщили только {n} участника, по размеру судить рано.",
    ),
    "pr.one_walker": (
        "Check: only one walker reported it, too few to read much into its size.",
        "Проверьте: об этом сообщил только один участник, по размеру судить рано.",
    ),
    "pr.reports": ("Reports ({n})", "Отчёты ({n})"),
    "pr.history": ("Decision history", "История решений"),
    "pr.no_history": ("No decision recorded yet.", "Решений пока не было."),
    "pr.loading": ("Loading the problem…", "Загружаем проблему…"),
    "pr.gone": (
        "This problem is no longer in the fix list (merged or re-clustered).",
        "Этой проблемы больше нет в списке (объединена или пересобрана).",
    ),
    # --- decide dialog ---
    "dc.title": ("Decision on {id}", "Решение по {id}"),
    "dc.status": ("Status", "Статус"),
    "dc.release": (
        "Release (planned: target, fixed: the release with the fix)",
        "Релиз (в плане: целевой, исправлена: релиз с исправлением)",
    ),
    "dc.note": ("Note", "Заметка"),
    "dc.owner": ("Owner", "Ответственный"),
    "dc.ticket": ("Ticket key, e.g. PROJ-123", "Ключ задачи, например PROJ-123"),
    "dc.saved": ("Saved: {id} is {status}.", "Сохранено: {id} — {status}."),
    "dc.warning": ("Note: {warning}", "Обратите внимание: {warning}"),
    "dc.w.unknown_release": (
        "no walk of this journey used release {release} yet (known: {known}); check it is not a "
        "typo, or a regression can never be flagged",
        "ни один проход этого пути ещё не был на релизе {release} (известны: {known}); "
        "проверьте, нет ли опечатки, иначе возврат проблемы не будет замечен",
    ),
    "dc.w.later_reports": (
        "it has reports from later releases ({releases}), so it shows as REGRESSED at once",
        "о ней сообщали и в более поздних релизах ({releases}), поэтому она сразу помечается "
        "как ВЕРНУЛАСЬ",
    ),
    "dc.w.same_release": (
        "{reports} from {release} itself: not counted as a regression (only reports from a "
        "later release are)",
        "{reports} из самого релиза {release}: это не возврат (возвратом считаются только "
        "отчёты из более поздних релизов)",
    ),
    # --- merge / move / attach / undo ---
    "mg.title": (
        "Merge into {id}: which problem is the same one?",
        "Объединить с {id}: какая проблема — та же самая?",
    ),
    "mg.pick": (
        "Similar problems first (with how similar), then the rest of the journey. Type to narrow.",
        "Сначала похожие (со степенью сходства), потом остальные проблемы пути. "
        "Печатайте для поиска.",
    ),
    "mg.id_ph": ("words of the title, or a problem id", "слова из заголовка или id проблемы"),
    "mg.done": ("Merged {what} into {into}.", "{what} объединена с {into}."),
    "mg.self": ("Pick another problem than this one.", "Выберите другую проблему, не эту."),
    "mv.confirm": (
        "Move this report out of {id}? It becomes a one-off.\n\n{text}",
        "Вынести этот отчёт из {id}? Он станет единичным.\n\n{text}",
    ),
    "mv.done": ("Moved the report out of {id}.", "Отчёт вынесен из {id}."),
    "sp.none": (
        "Mark the reports to split off first: space on each, then s.",
        "Сначала отметьте отчёты, которые нужно выделить: пробел на каждом, затем s.",
    ),
    "sp.all": (
        "All reports of {id} are marked: leave at least one in it (space unmarks).",
        "Отмечены все отчёты {id}: оставьте в ней хотя бы один (пробел снимает отметку).",
    ),
    "sp.confirm": (
        "Split {reports} off {id} into a problem of their own?\n\nu undoes it.",
        "Выделить {reports} из {id} в отдельную проблему?\n\nОтменяется клавишей u.",
    ),
    "sp.done": (
        "Split {reports} off {id} into {new} (on the fix list).",
        "{reports} из {id} выделены в {new} (она в списке исправлений).",
    ),
    "at.title": ("Attach the report to…", "Привязать отчёт к…"),
    "at.done": ("Attached the report to {id}.", "Отчёт привязан к {id}."),
    "un.done": ("Undone: {what}", "Отменено: {what}"),
    "un.nothing": ("Nothing to undo.", "Отменять нечего."),
    "un.confirm": (
        "Undo the latest correction?\n\n{what}\n\nDecisions are not undone: change them with d "
        "on the problem.",
        "Отменить последнюю правку?\n\n{what}\n\nРешения так не отменяются: измените их "
        "клавишей d на странице проблемы.",
    ),
    # --- a problem's history (who did what) ---
    "hi.decided": ("decided: {what}", "решение: {what}"),
    "hi.status_in": ("{status} in {release}", "{status}, релиз {release}"),
    "hi.merged": ("merged {what} into {into}", "{what} объединена с {into}"),
    "hi.moved_to": ("moved report {report} into {into}", "отчёт {report} перенесён в {into}"),
    "hi.moved_out": (
        "moved report {report} out of its problem",
        "отчёт {report} вынесен из проблемы",
    ),
    # one change that stored several corrections (a split, a move or merge of several)
    "hi.moved_n_to": ("moved {reports} into {into}", "{reports} перенесены в {into}"),
    "hi.moved_n_out": (
        "moved {reports} out of their problems",
        "{reports} вынесены из проблем",
    ),
    "hi.merged_n": ("merged {what} into {into}", "{what} объединены с {into}"),
    "hi.undid": ("undid: {what}", "отменено: {what}"),
    "na.unavailable": (
        "This lab's version cannot do that yet ({what}).",
        "Эта версия лаборатории пока так не умеет ({what}).",
    ),
    # --- journeys ---
    "jr.heading": ("Journeys · {n} with walks", "Пути · с проходами: {n}"),
    "jr.steps": ("Steps of “{title}” (⚠ = worst)", "Шаги «{title}» (⚠ — худшие)"),
    "jr.nps_small": (
        "NPS n in yellow: under {n} answers, too few to trust",
        "NPS: n жёлтым — меньше {n} ответов, верить рано",
    ),
    "jr.legend": (
        "█ done ▓ with friction ▒ skipped ░ blocked · ease 1-7 (5.5 is typical)",
        "█ готово ▓ с трудом ▒ пропуск ░ блок · лёгкость 1-7 (обычно 5.5)",
    ),
    "jr.empty": ("No walks yet.", "Проходов пока нет."),
    # --- one-offs ---
    "oo.heading": (
        "One-offs · {reports} in no recurring problem · {scope}",
        "Единичные · {reports} вне повторяющихся проблем · {scope}",
    ),
    # the same count as `qualitylab fixes`: lone blockers are one-offs that the list shows too
    "oo.listed": (
        "One-offs · {reports} in no recurring problem (blockers among them, also on the fix "
        "list: {listed}) · {scope}",
        "Единичные · {reports} вне повторяющихся проблем (из них блокеров: {listed}, они "
        "есть и в списке исправлений) · {scope}",
    ),
    "oo.empty": ("Every report belongs to a problem.", "Все отчёты относятся к проблемам."),
    # --- export ---
    "ex.title": ("Export a report", "Экспорт отчёта"),
    "ex.format": ("Format", "Формат"),
    "ex.folder": ("Folder to save it in", "Папка для сохранения"),
    "ex.go": ("Export", "Экспортировать"),
    "ex.done": ("Report written: {path}", "Отчёт сохранён: {path}"),
    "ex.sent": ("Report sent to your browser: {path}", "Отчёт отправлен в браузер: {path}"),
    "ex.excel_date": (
        "Excel opening this CSV may show release {release} as a date (an Excel set to Russian "
        "reads 4.9 as 4 September): open the xlsx export instead, or use Data > From Text/CSV "
        "with the release column as Text.",
        "Excel при открытии этого CSV может показать релиз {release} как дату (русский Excel "
        "читает 4.9 как 4 сентября): откройте экспорт xlsx или используйте «Данные > Из "
        "текстового/CSV-файла», столбец релиза — «Текст».",
    ),
    "ex.excel": (
        "Excel opening this CSV shows release {release} as {shown}: open the xlsx export "
        "instead, or use Data > From Text/CSV with the release column as Text.",
        "Excel при открытии этого CSV покажет релиз {release} как {shown}: откройте экспорт "
        "xlsx или используйте «Данные > Из текстового/CSV-файла», столбец релиза — «Текст».",
    ),
    "ex.jira_left_out": (
        "No Jira issue for problems the team already handles: {reasons}; the other formats "
        "list them.",
        "Без задачи в Jira остались проблемы, которыми команда уже занимается: {reasons}; в "
        "других форматах они есть.",
    ),
    "ex.jira_ticket": ("with a ticket already", "уже с задачей"),
    # --- help ---
    "tri.help.body": (
        "Everywhere (escape closes this help)\n"
        "  1 2 3      journeys · fix list · one-offs\n"
        "  e          export a report of the current list\n"
        "  ctrl+t     light/dark theme        ctrl+q  quit\n"
        "  ctrl+r     reload: what others changed meanwhile\n"
        "\n"
        "Journeys\n"
        "  ↑ ↓        choose a journey (its steps below);  enter  its fix list\n"
        "\n"
        "Fix list\n"
        "  ↑ ↓        choose a problem;  enter  open it\n"
        "  /          search titles, quotes and ids;  escape  clear\n"
        "  f          filter: journey, release, status, blockers only\n"
        "  s          sort by the next column;  r  reverse\n"
        "\n"
        "A problem\n"
        "  ↑ ↓        choose a report;  enter  read it whole\n"
        "  tab        to the details above: quotes, similar problems, history\n"
        "  d          decide: status, release, note, owner, ticket\n"
        "  o  t       owner · ticket key\n"
        "  m          merge: fold a similar problem into this one\n"
        "  x          move the chosen report out\n"
        "  space  s   mark reports · split the marked off into a new problem\n"
        "  u          undo the last merge or move (anywhere; asks first)\n"
        "\n"
        "One-offs\n"
        "  s          sort;  a or enter  attach the report to a problem",
        "Везде (escape закрывает справку)\n"
        "  1 2 3      пути · исправления · единичные\n"
        "  e          экспорт отчёта по текущему списку\n"
        "  ctrl+t     светлая/тёмная тема     ctrl+q  выход\n"
        "  ctrl+r     обновить: что другие изменили за это время\n"
        "\n"
        "Пути\n"
        "  ↑ ↓        выбрать путь (его шаги ниже);  enter  его исправления\n"
        "\n"
        "Список исправлений\n"
        "  ↑ ↓        выбрать проблему;  enter  открыть\n"
        "  /          поиск по заголовкам, цитатам, id;  escape  сбросить\n"
        "  f          фильтр: путь, релиз, статус, только блокеры\n"
        "  s          сортировать по следующему столбцу;  r  обратно\n"
        "\n"
        "Проблема\n"
        "  ↑ ↓        выбрать отчёт;  enter  прочитать целиком\n"
        "  tab        к подробностям выше: цитаты, похожие, история\n"
        "  d          решение: статус, релиз, заметка, ответственный, задача\n"
        "  o  t       ответственный · ключ задачи\n"
        "  m          объединить: влить похожую проблему в эту\n"
        "  x          вынести выбранный отчёт\n"
        "  space  s   отметить отчёты · выделить отмеченные в новую проблему\n"
        "  u          отменить последнее объединение или перенос (везде; с вопросом)\n"
        "\n"
        "Единичные\n"
        "  s          сортировка;  a или enter  привязать отчёт к проблеме",
    ),
}

#: The walk app's words (errors, severities, categories, shared keys) plus the triage app's.
TRIAGE_STRINGS: Mapping[str, tuple[str, str]] = {**STRINGS, **_TRIAGE}
