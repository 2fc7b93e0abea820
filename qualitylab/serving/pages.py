"""What the server says itself, in English and Russian: the start banner, the few pages it answers
(no access, stale link, lab full, opening), and the favicon. Plain strings with nothing from the
request in them: nothing to escape."""

from __future__ import annotations

import base64

#: A magnifier over a checklist, in the app's orange; served for /favicon.ico.
FAVICON_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    b'<rect x="3" y="3" width="20" height="24" rx="3" fill="#12232d" stroke="#ffa62b" '
    b'stroke-width="2"/><path d="M7 10h12M7 15h9M7 20h6" stroke="#ffa62b" stroke-width="2"/>'
    b'<circle cx="22" cy="21" r="5" fill="none" stroke="#ffffff" stroke-width="2.5"/>'
    b'<path d="M25.5 24.5l4 4" stroke="#ffffff" stroke-width="3" stroke-linecap="round"/></svg>'
)

#: Inline in the pages below, which are shown to browsers that may not fetch /favicon.ico yet.
_ICON_DATA = base64.b64encode(FAVICON_SVG).decode("ascii")

_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "forbidden": (
            "QualityLab: the lab link is needed",
            "Open the lab with the link you were given (it carries the lab's access key), or ask "
            "the person who runs the lab for it.",
        ),
        "full": (
            "QualityLab: the lab is full",
            "All the lab's places are taken right now. Try again in a minute — this page "
            "retries by itself.",
        ),
        "opening": ("QualityLab", "Opening the lab…"),
        "stale": (
            "QualityLab: this link no longer opens the lab",
            "This link does not open the lab (any more): links stop working when the lab's "
            "server is restarted without a fixed key. Ask the person who runs the lab for the "
            "current link; if you walked in this browser before, it will still know you.",
        ),
        "refused": (
            "QualityLab: not allowed",
            "This page may not open the lab. Open the lab's own link in a new tab.",
        ),
    },
    "ru": {
        "forbidden": (
            "QualityLab: нужна ссылка на лабораторию",
            "Откройте лабораторию по ссылке, которую вам дали (в ней ключ доступа), или "
            "попросите её у того, кто запустил лабораторию.",
        ),
        "full": (
            "QualityLab: все места заняты",
            "Сейчас все места в лаборатории заняты. Попробуйте через минуту — страница "
            "обновится сама.",
        ),
        "opening": ("QualityLab", "Открываем лабораторию…"),
        "stale": (
            "QualityLab: ссылка больше не открывает лабораторию",
            "Эта ссылка не открывает лабораторию (больше): ссылки перестают работать, когда "
            "сервер лаборатории перезапускают без постоянного ключа. Попросите актуальную "
            "ссылку у того, кто запустил лабораторию; если вы уже проходили пути в этом "
            "браузере, он вас узнает.",
        ),
        "refused": (
            "QualityLab: доступ запрещён",
            "Эта страница не может открыть лабораторию. Откройте ссылку лаборатории в новой "
            "вкладке.",
        ),
    },
}


#: The app page's own words (its "session ended" dialog), by language.
TAB_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "ended": "This lab tab has ended (it closes after a while with no typing). "
        "Everything you confirmed is saved.",
        "restart": "Open again",
    },
    "ru": {
        "ended": "Эта вкладка лаборатории закрыта (она закрывается, если долго ничего не "
        "вводить). Всё подтверждённое сохранено.",
        "restart": "Открыть снова",
    },
}


_BANNER: dict[str, dict[str, str]] = {
    "en": {
        "serving": "QualityLab is serving the {app} app on {url}",
        "database": "  database: {db}",
        "limits": "  at most {tabs} browser tabs at once; idle tabs end after {minutes:g} min",
        "open": "Open this link in a browser (it carries the lab's access key; share it only "
        "with the people who should use the lab):",
        "until_stop": "This link, and the personal links walkers get, last until this server "
        "stops. Set QUALITYLAB_SERVE_TOKEN (a fixed key of at least 16 characters) for links "
        "that survive restarts.",
        "kept": "The access key is fixed (--token / QUALITYLAB_SERVE_TOKEN): this link and "
        "walkers' personal links keep working after a restart with the same key.",
        "stop": "Press Ctrl+C to stop.",
    },
    "ru": {
        "serving": "QualityLab открывает приложение {app} по адресу {url}",
        "database": "  база данных: {db}",
        "limits": "  не больше {tabs} вкладок браузера одновременно; вкладка без ввода "
        "закрывается через {minutes:g} мин",
        "open": "Откройте эту ссылку в браузере (в ней ключ доступа к лаборатории; давайте её "
        "только тем, кому нужна лаборатория):",
        "until_stop": "Эта ссылка и личные ссылки участников действуют, пока сервер не "
        "остановлен. Задайте QUALITYLAB_SERVE_TOKEN (постоянный ключ не короче 16 символов), "
        "чтобы ссылки работали и после перезапуска.",
        "kept": "Ключ доступа постоянный (--token / QUALITYLAB_SERVE_TOKEN): эта ссылка и личные "
        "ссылки участников будут работать и после перезапуска с тем же ключом.",
        "stop": "Нажмите Ctrl+C, чтобы остановить.",
    },
}


def banner(
    lang: str,
    *,
    app: str,
    url: str,
    link: str,
    db: str,
    tabs: int,
    idle_minutes: float,
    token_fixed: bool,
) -> str:
    """What ``serve`` prints at start: what is served where, its limits, the one link (with the
    access key) to open, and how long that link lasts."""
    words = _BANNER.get(lang, _BANNER["en"])
    lines = [
        words["serving"].format(app=app, url=url),
        *([words["database"].format(db=db)] if db else []),
        words["limits"].format(tabs=tabs, minutes=idle_minutes),
        "",
        words["open"],
        f"  {link}",
        words["kept" if token_fixed else "until_stop"],
        "",
        words["stop"],
    ]
    return "\n".join(lines) + "\n"


def content_security_policy(origin: str) -> str:
    """Everything from this server only. ``origin`` (the public ``scheme://host[:port]``) is named
    again as ``ws(s)://`` because older browsers do not count a websocket to the page's own host
    as 'self'. Inline styles stay allowed: textual.js (webpack's style-loader) and xterm inject
    ``<style>`` elements, and the pages here carry theirs inline; every URL a style could name is
    still held to 'self' by img-src and font-src. No inline script, no eval, no framing."""
    websocket = "ws" + origin[len("http") :] if origin.startswith("http") else ""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self' {websocket}".rstrip(),
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def fixed_lang(fixed: str | None) -> str:
    """The server's --lang when it names a language these pages speak, else "" (all of them)."""
    return str(fixed) if fixed in _TEXTS else ""


def pick_lang(fixed: str | None, accept_language: str) -> str:
    """The server's --lang if given, else the browser's first preference of en/ru."""
    if fixed_lang(fixed):
        return str(fixed)
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in _TEXTS:
            return code
    return "en"


def page(kind: str, lang: str, *, refresh: str = "") -> str:
    """A small self-contained page; ``refresh`` is a meta-refresh value like ``60`` or
    ``0;url=/``. ``lang`` "" says it in every language, first the lab's default one: for a page
    sent before the request is read (a connection over the cap), when no ``--lang`` is fixed."""
    langs = [lang] if lang else sorted(_TEXTS, key=lambda code: code != "en")
    texts = [(code, *_TEXTS.get(code, _TEXTS["en"])[kind]) for code in langs]
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    sections = "".join(
        f'<section lang="{code}"><h1>{title}</h1><p>{body}</p></section>'
        for code, title, body in texts
    )
    return (
        f'<!doctype html><html lang="{langs[0]}"><head><meta charset="utf-8">{meta}'
        f'<meta name="viewport" content="width=device-width"><title>{texts[0][1]}</title>'
        f'<link rel="icon" href="data:image/svg+xml;base64,{_ICON_DATA}">'
        "<style>body{background:#0c181f;color:#f2f2f2;font:18px/1.5 system-ui,sans-serif;"
        "display:flex;min-height:90vh;align-items:center;justify-content:center}"
        "main{max-width:34em;padding:2em;background:#12232d;border-left:4px solid #ffa62b}"
        "section+section{margin-top:1.5em}"
        "h1{font-size:1.3em;color:#ffa62b}</style></head>"
        f"<body><main>{sections}</main></body></html>"
    )
