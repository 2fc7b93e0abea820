"""Every word the walk app shows, in English and Russian, in one place.

Journey content (titles, instructions) is shown as written; only the app's own chrome is translated.
Keys are plain strings so screens can name them in ``BINDINGS`` descriptions and translate them at
run time. This module imports nothing heavy so tests and the CLI can check it cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from qualitylab.lang import LANGS, Table

if TYPE_CHECKING:
    from qualitylab.errors import QualityLabError

__all__ = ["LANGS", "STRINGS", "Translator", "format_duration"]

#: key -> (English, Russian). Placeholders use ``str.format`` names and must match in both.
STRINGS: Mapping[str, tuple[str, str]] = {
    # --- app-wide ---
    "app.title": ("QualityLab", "QualityLab"),
    "app.sub": ("walk a customer journey", "пройдите путь клиента"),
    "key.quit": ("Quit", "Выход"),
    "key.help": ("Help", "Справка"),
    "key.theme": ("Light/dark", "Светлая/тёмная"),
    "key.back": ("Back", "Назад"),
    "key.close": ("Close", "Закрыть"),
    "key.cancel": ("Cancel", "Отмена"),
    "key.save": ("Save", "Сохранить"),
    # the database, worded by the app (the service's English line names URLs and drivers)
    "err.storage": (
        "The lab's database cannot be reached right now. What you confirmed before is saved; "
        "try again in a moment.",
        "База данных лаборатории сейчас недоступна. Подтверждённое раньше сохранено; "
        "попробуйте ещё раз чуть позже.",
    ),
    "err.storage_lasting": (
        "The lab's database does not accept changes (it may be read-only or damaged). What you "
        "confirmed before is saved; tell whoever runs the lab.",
        "База данных лаборатории не принимает изменения (возможно, она только для чтения или "
        "повреждена). Подтверждённое раньше сохранено; сообщите тому, кто ведёт лабораторию.",
    ),
    "err.storage_read_only": (
        "This lab is read-only for the app: it may read the lab's database but not save to it, "
        "so nothing new was saved (what you typed stays on screen; what you confirmed before is "
        "saved). Ask whoever runs the lab for write access, then try again.",
        "Лаборатория открыта приложению только для чтения: оно может читать базу данных, но не "
        "сохранять в неё, поэтому новое не сохранено (введённое остаётся на экране, "
        "подтверждённое раньше сохранено). Попросите того, кто ведёт лабораторию, дать права на "
        "запись, и попробуйте снова.",
    ),
    # the same, where nothing typed is kept on screen: a key on a step, a choice in a dialog
    "err.storage_read_only_action": (
        "This lab is read-only for the app: it may read the lab's database but not save to it, "
        "so this was not saved (what you confirmed before is saved). Ask whoever runs the lab "
        "for write access, then try again.",
        "Лаборатория открыта приложению только для чтения: оно может читать базу данных, но не "
        "сохранять в неё, поэтому это не сохранено (подтверждённое раньше сохранено). "
        "Попросите того, кто ведёт лабораторию, дать права на запись, и попробуйте снова.",
    ),
    # ... and before a walk is open (home, a journey's start): nothing was typed or chosen yet
    "err.storage_read_only_opening": (
        "This lab is read-only for the app: you can look through the journeys, but no walk can "
        "be started or saved (what you confirmed before is saved). Ask whoever runs the lab for "
        "write access, then open the journey again.",
        "Лаборатория открыта приложению только для чтения: пути можно посмотреть, но начать или "
        "сохранить проход нельзя (подтверждённое раньше сохранено). Попросите того, кто ведёт "
        "лабораторию, дать права на запись, и откройте путь снова.",
    ),
    # in the terminal only (a browser tab never shows the server's paths or hosts)
    "err.detail": (
        "Details for whoever runs the lab: {detail}",
        "Подробности для того, кто ведёт лабораторию: {detail}",
    ),
    "save.retrying": (
        "Could not save yet. Nothing is lost: your answer is kept and saving is retried "
        "until the database answers.",
        "Пока не удалось сохранить. Ничего не потеряно: ответ сохранится, как только база "
        "данных ответит (повторяем попытки).",
    ),
    "save.resumed": ("Saved.", "Сохранено."),
    # what ctrl+c says (people press it to leave a terminal app; Textual's own words are English)
    "quit.title": ("Leaving?", "Выйти?"),
    "quit.how": (
        "Press {key} to quit. Everything you confirmed is saved; you can resume later.",
        "Нажмите {key}, чтобы выйти. Всё подтверждённое сохранено; продолжить можно позже.",
    ),
    "err.catalog": (
        "The journey catalog cannot be read:\n{detail}",
        "Не удалось прочитать каталог путей:\n{detail}",
    ),
    # a refusal the app has no words for (its English line is shown; every error a walker can
    # meet has a code with words below, see tests/tui/test_errors_in_walkers_language.py)
    "err.generic": (
        "Nothing was changed: {detail}",
        "Ничего не изменено (подробности по-английски): {detail}",
    ),
    # refusals of the service layer, by code (qualitylab.errors.QualityLabError.code); the field
    # is named as the form names it ("field.*" below)
    "err.text.not_text": ("{field}: this is not text.", "{field}: это не текст."),
    "err.text.unstorable": (
        "{field} holds a character that cannot be saved (a broken emoji or symbol); remove it "
        "and save again.",
        "В поле {field} есть символ, который нельзя сохранить (повреждённый эмодзи или знак); "
        "удалите его и сохраните снова.",
    ),
    "err.text.empty": (
        "{field} is empty; write what happened.",
        "Поле {field} пустое; опишите, что произошло.",
    ),
    "err.text.too_long": (
        "{field} is longer than {limit} characters; shorten it.",
        "Поле {field} длиннее {limit} символов; сократите текст.",
    ),
    "err.number.range": (
        "{field}: choose a whole number from {low} to {high}.",
        "{field}: выберите целое число от {low} до {high}.",
    ),
    "err.release.invalid": (
        "This release cannot be saved: a release is one line of up to {limit} printable "
        "characters, such as 2.1, 2026.11 or 5.0-rc1.",
        "Такой релиз нельзя сохранить: релиз — одна строка до {limit} печатных символов, "
        "например 2.1, 2026.11 или 5.0-rc1.",
    ),
    "err.category.unknown": (
        "This category is no longer in the journey catalog; choose another.",
        "Этой категории больше нет в каталоге; выберите другую.",
    ),
    "err.walk.closed": (
        "This walk is {status} and can no longer change, so this was not saved.",
        "Этот проход {status} и больше не меняется, поэтому это не сохранено.",
    ),
    "err.entry.not_yours": (
        "This belongs to another walk; nothing was changed.",
        "Это относится к другому проходу; ничего не изменено.",
    ),
    "err.gone": (
        "This is no longer in the lab (it was deleted meanwhile, perhaps in another tab); "
        "nothing was changed.",
        "Этого больше нет в лаборатории (удалено, возможно, в другой вкладке); ничего не изменено.",
    ),
    "err.name.needed": (
        "Type your name, or choose “Walk anonymously”.",
        "Введите имя или выберите «Пройти анонимно».",
    ),
    "err.attach.cannot": (
        "Cannot attach this file; choose a regular file you can read, up to {megabytes} MB.",
        "Не удаётся приложить этот файл; выберите обычный файл, который можно прочитать, до "
        "{megabytes} МБ.",
    ),
    "err.attach.too_large": (
        "Cannot attach this file: it is larger than {megabytes} MB.",
        "Не удаётся приложить файл: он больше {megabytes} МБ.",
    ),
    "err.attach.bad_link": (
        "The link must be one http:// or https:// address (up to {limit} characters), e.g. "
        "https://share.example.com/screenshot.png",
        "Ссылка должна быть одним адресом http:// или https:// (до {limit} символов), "
        "например https://share.example.com/screenshot.png",
    ),
    "err.journey.gone": (
        "The journey “{journey}” is no longer in the catalog.",
        "Пути «{journey}» больше нет в каталоге.",
    ),
    "field.pain_point": ("“What happened?”", "«Что произошло?»"),
    "field.suggested_fix": ("“Suggested fix”", "«Как исправить»"),
    "field.praise": ("“What was great?”", "«Что было хорошо?»"),
    "field.closing_comment": ("“Anything else?”", "«Что-нибудь ещё?»"),
    "field.display_name": ("“Your name”", "«Ваше имя»"),
    "field.department": ("“Department”", "«Отдел»"),
    "field.severity": ("“How bad?”", "«Насколько серьёзно?»"),
    "field.ease": ("Ease", "Оценка лёгкости"),
    "field.nps": ("The score", "Оценка"),
    "status.completed": ("finished", "завершён"),
    "status.abandoned": ("abandoned", "прерван"),
    "err.title": ("Something went wrong", "Что-то пошло не так"),
    "err.unexpected": (
        "Unexpected error: {detail}. What you confirmed before is saved.",
        "Непредвиденная ошибка: {detail}. Подтверждённое ранее сохранено.",
    ),
    # --- first run ---
    "profile.title": ("Welcome to QualityLab", "Добро пожаловать в QualityLab"),
    "profile.intro": (
        "You will walk through a customer journey step by step and note anything that gets in "
        "the way. First, who are you? We remember this on this computer.",
        "Вы пройдёте путь клиента шаг за шагом и отметите всё, что мешает. Сначала — кто вы? "
        "Мы запомним это на этом компьютере.",
    ),
    "profile.intro_once": (
        "You will walk through a customer journey step by step and note anything that gets in "
        "the way. First, who are you?",
        "Вы пройдёте путь клиента шаг за шагом и отметите всё, что мешает. Сначала — кто вы?",
    ),
    # F2 on the journeys: the same questions, to change the answer
    "profile.title_change": ("Who is walking", "Кто проходит"),
    "profile.intro_change": (
        "Your walks are saved under this name on this computer. Walks you started under another "
        "name are listed again when you use that name.",
        "Ваши проходы сохраняются под этим именем на этом компьютере. Проходы, начатые под "
        "другим именем, снова появятся, когда вы вернёте то имя.",
    ),
    "profile.name": ("Your name", "Ваше имя"),
    "profile.name_ph": ("e.g. Anna Petrova", "например, Анна Петрова"),
    "profile.dept": ("Department (optional)", "Отдел (необязательно)"),
    "profile.dept_ph": ("e.g. Shop, Tverskaya 12", "например, Салон на Тверской, 12"),
    "profile.start": ("Start", "Начать"),
    "profile.anon": ("Walk anonymously", "Пройти анонимно"),
    "profile.need_name": (
        "Type your name, or choose “Walk anonymously”.",
        "Введите имя или выберите «Пройти анонимно».",
    ),
    "profile.intro_served": (
        "You will walk through a customer journey step by step and note anything that gets in "
        "the way. This browser remembers you; your name is only a label others see.",
        "Вы пройдёте путь клиента шаг за шагом и отметите всё, что мешает. Этот браузер "
        "запомнит вас; имя — только подпись для остальных.",
    ),
    "profile.resume": (
        "Your personal link — open it to continue on another device. Keep it to yourself:",
        "Ваша личная ссылка — откройте её, чтобы продолжить на другом устройстве. Не "
        "передавайте её другим:",
    ),
    "profile.resume_until_restart": (
        "This link works only until the lab's server restarts. After a restart, ask the lab's "
        "organiser for the new lab link: this browser will still know you and show your new "
        "personal link.",
        "Ссылка действует только до перезапуска сервера лаборатории. После перезапуска "
        "попросите у организатора новую ссылку на лабораторию: этот браузер вас узнает и "
        "покажет новую личную ссылку.",
    ),
    "profile.open_link": ("Open my link", "Открыть мою ссылку"),
    # --- the walk app (a browser tab or a terminal) while the lab's database cannot be reached ---
    "down.title": (
        "The lab's database cannot be reached",
        "База данных лаборатории недоступна",
    ),
    "down.body": (
        "The lab cannot open your journeys right now. Nothing is lost: everything you confirmed "
        "before is saved. This is usually over in a few minutes. This tab tries again by itself "
        "every {seconds} s and opens as soon as the database answers; you need not reload it.",
        "Сейчас лаборатория не может открыть ваши пути. Ничего не потеряно: всё подтверждённое "
        "раньше сохранено. Обычно это проходит за несколько минут. Вкладка сама пробует снова "
        "каждые {seconds} с и откроется, как только база данных ответит; обновлять её не нужно.",
    ),
    "down.body_terminal": (
        "The lab cannot open your journeys right now. Nothing is lost: everything you confirmed "
        "before is saved. The app tries again by itself every {seconds} s and goes on as soon "
        "as the database answers.",
        "Сейчас лаборатория не может открыть ваши пути. Ничего не потеряно: всё подтверждённое "
        "раньше сохранено. Приложение само пробует снова каждые {seconds} с и продолжит, как "
        "только база данных ответит.",
    ),
    "down.tries": (
        "Tries so far: {count}; no answer yet.",
        "Попыток: {count}; ответа пока нет.",
    ),
    "down.trying": ("Trying again…", "Пробуем снова…"),
    "down.retry": ("Try again now", "Попробовать сейчас"),
    "key.retry": ("Try again", "Попробовать снова"),
    # --- home ---
    "home.title": ("Journeys", "Пути клиента"),
    "home.hello": ("Hello, {name}", "Здравствуйте, {name}"),
    "home.anonymous": ("anonymous walker", "анонимный участник"),
    "home.filter_ph": ("Type to filter journeys…", "Начните печатать для фильтра…"),
    "home.resume_header": ("Continue where you left off", "Продолжить с места остановки"),
    "home.all_header": ("All journeys", "Все пути"),
    "home.loading": ("Loading journeys…", "Загружаем пути…"),
    "home.empty": ("No journey matches “{query}”.", "Нет путей по запросу «{query}»."),
    "home.meta": (
        "{product} · {steps} steps · ~{minutes} min",
        "{product} · шагов: {steps} · ~{minutes} мин",
    ),
    "home.progress.new": ("not started", "не начат"),
    "home.progress.in_progress": ("in progress: {answered}", "в процессе: {answered}"),
    # counted: the forms split by "|" (English one|other, Russian one|few|many: Translator.plural)
    "home.progress.done": (
        "done once|done {count} times",
        "пройден {count} раз|пройден {count} раза|пройден {count} раз",
    ),
    "home.progress.abandoned": (
        "abandoned once|abandoned {count} times",
        "прерван {count} раз|прерван {count} раза|прерван {count} раз",
    ),
    # a walk in progress: how much is done, and where "resume" opens it (the step it was left
    # on, or the finish screen), e.g. "▶ 2 of 8 steps answered · resume at step 1"
    "home.answered": (
        "{answered} of {steps} steps answered",
        "отвечено {answered} из {steps}",  # "шагов" is in the line already; 80 columns
    ),
    "home.resume_step": ("resume at step {step}", "продолжить с шага {step}"),
    "home.resume_finish": ("resume at the finish", "продолжить с завершения прохода"),
    "home.removed": (
        "(no longer in the catalog — your walk still works)",
        "(больше нет в каталоге — ваш проход продолжит работать)",
    ),
    "key.open": ("Open", "Открыть"),
    "key.filter": ("Filter", "Фильтр"),
    "key.profile": ("Change name", "Сменить имя"),
    # --- journey intro ---
    "intro.persona": ("Persona", "Персона"),
    "intro.goal": ("Goal", "Цель"),
    "intro.channel": ("Channel", "Канал"),
    "channel.app": ("app", "приложение"),
    "channel.web": ("website", "сайт"),
    "channel.shop": ("shop", "салон"),
    "channel.call-centre": ("call centre", "колл-центр"),
    "channel.sms": ("SMS", "SMS"),
    "channel.other": ("other", "другое"),
    "intro.product": ("Product", "Продукт"),
    "intro.release": ("Release", "Релиз"),
    "intro.time": ("About {minutes} min, {steps} steps", "Около {minutes} мин, шагов: {steps}"),
    "intro.have": ("Have at hand", "Подготовьте"),
    "intro.start": ("Start walking", "Начать"),
    "intro.resume": ("Resume walking", "Продолжить"),
    "key.start": ("Start", "Начать"),
    "key.resume": ("Resume", "Продолжить"),
    # --- step ---
    "step.of": ("Step {n} of {m}", "Шаг {n} из {m}"),
    "step.timer": ("time on step {time}", "время на шаге {time}"),
    "step.expected": ("What good looks like", "Как должно быть"),
    "step.watch": ("Watch for", "Обратите внимание"),
    "step.pains": ("Pain points on this step", "Проблемы на этом шаге"),
    "step.list_hint": (
        "tab to the list: e edit, delete remove",
        "tab — к списку: e изменить, delete удалить",
    ),
    "step.no_pains": (
        "None yet. Press p to log anything that got in your way.",
        "Пока нет. Нажмите p, чтобы записать то, что мешало.",
    ),
    "step.praise": ("Praise", "Что понравилось"),
    "step.praise_hint": ("tab to the list: delete remove", "tab — к списку: delete удалить"),
    "step.no_praise": (
        "Press g to note something that was great.",
        "Нажмите g, чтобы отметить удачное.",
    ),
    "step.outcome": ("How did it end?", "Чем закончился шаг?"),
    "step.ease": (
        "Overall, how difficult or easy was this step?",
        "В целом, насколько сложно или легко было пройти этот шаг?",
    ),
    "step.ease_scale": ("1 very difficult … 7 very easy", "1 очень сложно … 7 очень легко"),
    "step.need_outcome": (
        "Mark how this step ended first: d done, f with friction, b blocked, s skipped.",
        "Сначала отметьте итог шага: d готово, f с трудом, b заблокировано, s пропущено.",
    ),
    "step.saved_outcome": ("Saved: {outcome}", "Сохранено: {outcome}"),
    "step.saved_ease": ("Saved: ease {ease} of 7", "Сохранено: лёгкость {ease} из 7"),
    "step.pick_pain": (
        "Pick a pain point in the list first (Tab to move there).",
        "Сначала выберите проблему в списке (Tab — перейти к списку).",
    ),
    "step.praise_no_edit": (
        "Praise can be deleted and added again, not edited.",
        "Похвалу можно удалить и добавить заново, но не изменить.",
    ),
    "step.confirm_delete": ("Delete this pain point?\n\n{text}", "Удалить эту проблему?\n\n{text}"),
    "step.confirm_delete_praise": (
        "Delete this praise?\n\n{text}",
        "Удалить эту похвалу?\n\n{text}",
    ),
    "step.confirm_abandon": (
        "Abandon this walk? Everything you entered stays saved, and the walk is marked as "
        "abandoned.",
        "Прервать проход? Всё введённое сохранится, а проход будет отмечен как прерванный.",
    ),
    "step.abandoned": (
        "Walk abandoned. Everything you entered is saved.",
        "Проход прерван. Всё введённое сохранено.",
    ),
    "step.attachment": ("attachment: {name}", "вложение: {name}"),
    "key.pain": ("Pain point", "Проблема"),
    "key.praise": ("Praise", "Похвала"),
    "key.edit": ("Edit", "Изменить"),
    "key.delete": ("Delete", "Удалить"),
    "key.outcome": ("Outcome", "Итог"),
    "key.ease": ("Ease", "Оценка"),
    "key.next": ("Next", "Далее"),
    "key.prev": ("Back", "Назад"),
    "key.abandon": ("Abandon", "Прервать"),
    "key.home": ("Journeys", "К путям"),
    # outcomes
    "outcome.done": ("done", "готово"),
    "outcome.done_with_friction": ("done with friction", "с трудом"),
    "outcome.blocked": ("blocked", "заблокировано"),
    "outcome.skipped": ("skipped", "пропущено"),
    # severities
    "sev.1": ("1 cosmetic", "1 косметика"),
    "sev.2": ("2 minor", "2 незначительная"),
    "sev.3": ("3 major", "3 серьёзная"),
    "sev.4": ("4 blocker", "4 блокер"),
    "sev.1.help": ("looks or reads wrong, no harm done", "выглядит или звучит не так, вреда нет"),
    "sev.2.help": ("slowed me down, easy to get past", "замедлило, но легко обойти"),
    "sev.3.help": (
        "hard to get past; many customers would give up",
        "трудно обойти; многие клиенты сдадутся",
    ),
    "sev.4.help": ("could not go on at all", "дальше пройти невозможно"),
    # categories (catalog-specific ones are shown as written)
    "cat.usability": ("usability", "удобство"),
    "cat.wording": ("wording", "формулировки"),
    "cat.bug": ("bug", "ошибка"),
    "cat.speed": ("speed", "скорость"),
    "cat.price/offer": ("price/offer", "цена/предложение"),
    "cat.trust/security": ("trust/security", "доверие/безопасность"),
    "cat.accessibility": ("accessibility", "доступность"),
    "cat.other": ("other", "другое"),
    # --- pain point form ---
    "pain.title_new": ("Log a pain point — {step}", "Новая проблема — {step}"),
    "pain.title_edit": ("Edit pain point — {step}", "Изменить проблему — {step}"),
    "pain.what": ("What happened?", "Что произошло?"),
    "pain.what_ph": (
        "Describe what got in your way, in your own words.",
        "Опишите своими словами, что помешало.",
    ),
    "pain.severity": ("How bad?", "Насколько серьёзно?"),
    "pain.category": ("Category", "Категория"),
    "pain.category_prompt": ("Choose…", "Выберите…"),
    "pain.fix": ("Suggested fix", "Как исправить"),
    "pain.fix_ph": ("optional", "необязательно"),
    "pain.attach": ("Screenshot/file", "Скриншот/файл"),
    "pain.attach_ph": ("optional path, up to 5 MB", "необязательно: путь, до 5 МБ"),
    "pain.attach_kept": ("kept: {name}", "сохранено: {name}"),
    "pain.link": ("Link", "Ссылка"),
    "pain.link_ph": (
        "optional: https://… (e.g. a screenshot in your file share)",
        "необязательно: https://… (например, скриншот в общей папке)",
    ),
    "pain.link_note": (
        "In the browser you attach a link, not a file: the lab runs on a server and never "
        "reads its disk.",
        "В браузере прикладывается ссылка, а не файл: лаборатория работает на сервере и не "
        "читает его диск.",
    ),
    "pain.need_text": ("Describe what happened.", "Опишите, что произошло."),
    "pain.need_severity": ("Choose how bad it was (1-4).", "Выберите серьёзность (1-4)."),
    "pain.need_category": ("Choose a category.", "Выберите категорию."),
    "pain.saved": ("Pain point saved.", "Проблема сохранена."),
    "pain.deleted": ("Pain point deleted.", "Проблема удалена."),
    # --- praise form ---
    "praise.title": ("Praise — {step}", "Похвала — {step}"),
    "praise.what": ("What was great?", "Что было хорошо?"),
    "praise.need_text": (
        "Write what was great, or press Esc to cancel.",
        "Напишите, что понравилось, или нажмите Esc, чтобы отменить.",
    ),
    "praise.saved": ("Praise saved.", "Похвала сохранена."),
    "praise.deleted": ("Praise deleted.", "Похвала удалена."),
    # Escape in a pain point or praise form that holds what the walker typed
    "form.confirm_discard": (
        "Close without saving? What you typed in this form will be lost.",
        "Закрыть без сохранения? Введённое в этой форме пропадёт.",
    ),
    # --- confirm ---
    "confirm.yes": ("Yes", "Да"),
    "confirm.no": ("No", "Нет"),
    # the buttons, with the letter that answers in this language (ConfirmDialog takes both)
    "confirm.yes_key": ("Yes (y)", "Да (д)"),
    "confirm.no_key": ("No (n)", "Нет (н)"),
    # --- finish ---
    "finish.title": ("You reached the end — thank you!", "Вы дошли до конца — спасибо!"),
    "finish.summary": (
        "Steps: {visited} of {total} · time: {time} · praise: {praise}",
        "Шагов: {visited} из {total} · время: {time} · похвал: {praise}",
    ),
    "finish.by_sev": ("Pain points by severity", "Проблемы по серьёзности"),
    "finish.none": ("No pain points logged.", "Проблем не записано."),
    "finish.nps": (
        "How likely are you to recommend this product to a friend? (0-10)",
        "Насколько вероятно, что вы порекомендуете этот продукт другу? (0-10)",
    ),
    "finish.nps_ph": ("0-10", "0-10"),
    "finish.nps_bad": ("Type a number from 0 to 10.", "Введите число от 0 до 10."),
    "finish.comment": ("Anything else? (optional)", "Что-нибудь ещё? (необязательно)"),
    "finish.done": ("Finish walk", "Завершить"),
    "finish.back": ("Back to last step", "К последнему шагу"),
    "finish.thanks": ("Walk finished. Thank you!", "Проход завершён. Спасибо!"),
    "key.finish": ("Finish", "Завершить"),
    # --- help ---
    "help.title": ("Keys", "Клавиши"),
    "help.body": (
        "Everywhere                        escape closes this help\n"
        "  ? or f1  this help      ctrl+q  quit (resume later)\n"
        "  tab      next field     escape  back / cancel    ctrl+t  theme\n"
        "Journeys\n"
        "  type to filter;  ↑ ↓ choose;  enter  open\n"
        "  f2       change name (in a browser: your personal link)\n"
        "Step\n"
        "  p  log a pain point   g  note praise   e  edit the selected one\n"
        "  delete   delete the selected pain point or praise\n"
        "  d f b s  outcome: done, with friction, blocked, skipped\n"
        "  1 … 7    how easy (1 very difficult, 7 very easy)\n"
        "  → or n   next step      ← or backspace  previous step\n"
        "  a        abandon        escape  to the journeys (resume later)\n"
        "Pain point form\n"
        "  tab      next field;  1 … 4 on the severities picks one\n"
        "  ctrl+s   save           escape  cancel\n"
        "Finish\n"
        "  0 … 10   type the score in its box (or click a number)\n"
        "  ctrl+s   finish the walk   escape  back to the last step",
        "Везде                             escape закрывает справку\n"
        "  ? или f1 эта справка    ctrl+q  выход (продолжите потом)\n"
        "  tab      след. поле     escape  назад / отмена   ctrl+t  тема\n"
        "Пути\n"
        "  печатайте — фильтр;  ↑ ↓ выбрать;  enter  открыть\n"
        "  f2       сменить имя (в браузере: ваша личная ссылка)\n"
        "Шаг (и в русской раскладке: з = p, в = d, т = n …)\n"
        "  p  записать проблему   g  удачное   e  изменить выбранную\n"
        "  delete   удалить выбранную проблему или похвалу\n"
        "  d f b s  итог: готово, с трудом, заблокировано, пропущено\n"
        "  1 … 7    насколько легко (1 очень сложно, 7 очень легко)\n"
        "  → или n  следующий шаг  ← или backspace  предыдущий\n"
        "  a        прервать       escape  к путям (продолжите потом)\n"
        "Форма проблемы\n"
        "  tab      следующее поле;  1 … 4 в серьёзности выбирает\n"
        "  ctrl+s   сохранить      escape  отмена\n"
        "Завершение\n"
        "  0 … 10   впишите оценку в её поле (или нажмите на число)\n"
        "  ctrl+s   завершить проход   escape  к последнему шагу",
    ),
}


class Translator(Table):
    """Looks up UI strings for one language; unknown keys fall back to the key itself."""

    def __init__(self, lang: str, strings: Mapping[str, tuple[str, str]] = STRINGS) -> None:
        """``strings``: another app's table (the triage app adds its own words to these)."""
        super().__init__(lang, strings)

    def error(self, err: QualityLabError) -> str | None:
        """``err`` in this language, from its code and parameters; None when this table has no
        words for it (the caller shows its English line)."""
        key = f"err.{err.code}"
        if not err.code or key not in self._strings:
            return None
        values = {name: self._value(name, value) for name, value in err.params.items()}
        try:
            return self(key, **values)
        except (KeyError, IndexError, ValueError):  # words that name a parameter it lacks
            return None

    def _value(self, name: str, value: object) -> str:
        """A parameter as this language writes it: numbers grouped (20,000 / 20 000), a field
        or a walk status by its words."""
        if isinstance(value, int) and not isinstance(value, bool):
            return self.num(value)
        key = f"{name}.{value}"
        if name in ("field", "status") and key in self._strings:
            return self(key)
        return str(value)

    def category(self, category: str) -> str:
        """Default categories are translated; a catalog's own categories are shown as written."""
        key = f"cat.{category}"
        return self(key) if key in self._strings else category


def format_duration(seconds: float) -> str:
    """``mm:ss`` under an hour, ``h:mm:ss`` above; never negative."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
