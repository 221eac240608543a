"""The web chat in a real browser: Debian's headless Chromium driven by Playwright.

A person walks the volunteer path on a 320 px wide screen by clicking, typing and with the
keyboard alone, reloads in the middle, and ends with a lead in the database; axe-core
(tests/vendor/axe.min.js, MPL-2.0) finds no serious or critical accessibility problem;
the widget opens the chat from another site. Without chromium the tests skip locally and
fail in CI.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from playwright.async_api import Browser, Page, async_playwright, expect
from sqlalchemy import select

from bot.content.model import Content
from bot.dialogs.turn import Matchers
from bot.store.models import Lead
from tests.helpers import free_port
from tests.helpers.tools import CHROMIUM_INSTALL, require_tool
from tests.helpers.web import ChatServer

pytestmark = pytest.mark.slow  # headless Chromium

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PHONE = {"width": 320, "height": 640}


def chromium() -> str:
    return require_tool("chromium", "chromium-browser", install=CHROMIUM_INSTALL)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    path = chromium()
    async with async_playwright() as playwright:
        # The system's Chromium: Playwright downloads no browser of its own.
        launched = await playwright.chromium.launch(executable_path=path)
        yield launched
        await launched.close()


@pytest.fixture
async def server(
    content: Content, matchers: Matchers, sqlite_url: str
) -> AsyncIterator[ChatServer]:
    running = await ChatServer.start(sqlite_url, content, matchers)
    yield running
    await running.stop()


class Watch:
    """Everything the page asked for and every error it logged."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )


async def tab_to(page: Page, label: str, limit: int = 40) -> None:
    """Press Tab until a button with `label` has the focus (keyboard only)."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(
            "() => document.activeElement ? document.activeElement.textContent : ''"
        )
        if label in focused:
            return
    raise AssertionError(f"Tab never reached a button {label!r}")


async def focused_text(page: Page) -> str:
    return await page.evaluate("() => document.activeElement.textContent")


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA and best-practice rules; only serious and critical ones."""
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("async () => await axe.run(document)")
    return [
        {"rule": v["id"], "impact": v["impact"], "where": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


async def test_volunteer_path_with_reload_keyboard_and_a_small_screen(
    browser: Browser, server: ChatServer
) -> None:
    context = await browser.new_context(locale="de-DE", viewport=PHONE)
    page = await context.new_page()
    watch = Watch(page)
    await page.goto(f"{server.base}/chat")
    log = page.get_by_role("log", name="Gesprächsverlauf")
    await expect(log).to_contain_text("Hallo und willkommen")
    await page.get_by_role("button", name=re.compile("Ich möchte mich engagieren")).click()
    await expect(log).to_contain_text("Was interessiert Sie")
    assert "Was interessiert Sie" in await focused_text(page)  # focus on the new question
    box = page.get_by_role("textbox", name="Ihre Nachricht")
    await box.fill("was mit Kindern")
    await box.press("Enter")
    await expect(log).to_contain_text("In welchem Ort")

    await page.reload()  # mid-dialogue: the conversation and the question are still there
    last = page.locator(".line.bot").last
    await expect(last).to_contain_text("In welchem Ort")
    await expect(log).to_contain_text("was mit Kindern")
    await expect(last.get_by_role("button", name=re.compile("Zurück"))).to_be_visible()
    assert await page.locator(".answers").count() == 1  # answered questions keep no buttons

    await box.fill("Zschortau")
    await box.press("Enter")
    await expect(log).to_contain_text("einmal mit anpacken")
    # Keyboard only: Tab from the question to an answer, Enter presses it.
    await tab_to(page, "Regelmäßig")
    await page.keyboard.press("Enter")
    await expect(log).to_contain_text("Wann haben Sie")
    assert "Wann haben Sie" in await focused_text(page)
    await tab_to(page, "Abends")
    await page.keyboard.press("Enter")
    await expect(log).to_contain_text("Möchten Sie, dass sich ein Lotse")
    await page.get_by_role("button", name=re.compile("beraten")).click()
    await expect(log).to_contain_text("einverstanden")
    await page.get_by_role("button", name=re.compile("Ja, einverstanden")).click()
    await expect(log).to_contain_text("Wie darf der Lotse")
    await box.fill("Maria")
    await box.press("Enter")
    await expect(log).to_contain_text("Wie erreicht")
    await box.fill("0171 2345678")
    await box.press("Enter")
    await expect(log).to_contain_text("Ihre Anfrage ist angekommen")

    async with server.db.session() as session:
        lead = (await session.scalars(select(Lead))).one()
    assert (lead.channel, lead.name, lead.contact) == ("web", "Maria", "0171 2345678")
    assert (lead.gemeinde, lead.place) == ("Rackwitz", "Zschortau")
    # 320 px: nothing sticks out sideways.
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    # Nothing from elsewhere, no errors.
    assert all(url.startswith(server.base) or url.startswith("data:") for url in watch.requests)
    assert watch.errors == []
    await context.close()


async def test_axe_finds_no_serious_accessibility_problem(
    browser: Browser, server: ChatServer
) -> None:
    # axe is injected as an inline script: the page's CSP would rightly block that.
    context = await browser.new_context(locale="de-DE", viewport=PHONE, bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{server.base}/chat")
    log = page.get_by_role("log")
    await expect(log).to_contain_text("Hallo und willkommen")
    assert await serious_violations(page) == []
    await page.get_by_role("button", name=re.compile("engagieren")).click()
    await expect(log).to_contain_text("Was interessiert Sie")  # twelve area buttons, back
    assert await serious_violations(page) == []
    box = page.get_by_role("textbox", name="Ihre Nachricht")
    await box.fill("Zschortau")  # not an interest: a hint, the question again
    await box.press("Enter")
    await expect(page.locator(".line.bot").last).to_contain_text("Bereich")
    await page.get_by_role("button", name="Datenschutz").click()
    await expect(log).to_contain_text("Verantwortlich:")
    # The notice names the page's commands as buttons in its sentences, not as /commands.
    notice = page.locator(".line.bot", has_text="Datenschutz beim")
    await expect(notice.locator("button.command", has_text="📄 Meine Daten")).to_be_visible()
    assert "/meine_daten" not in await notice.inner_text()
    assert await serious_violations(page) == []
    await notice.locator("button.command", has_text="🗑 Daten löschen").click()
    await expect(page.locator(".line.bot").last).to_contain_text("Wirklich alle Ihre Daten")
    await page.goto(f"{server.base}/chat?embed=1")  # as inside the widget (its own cookie)
    await expect(page.get_by_role("log")).to_contain_text("Hallo und willkommen")
    assert await serious_violations(page) == []
    await context.close()


async def test_axe_check_would_catch_a_serious_problem(
    browser: Browser, server: ChatServer
) -> None:
    """The check above is not blind: an unlabelled button and grey-on-grey text are found."""
    context = await browser.new_context(locale="de-DE", bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{server.base}/chat")
    await expect(page.get_by_role("log")).to_contain_text("Hallo und willkommen")
    await page.evaluate(
        """() => {
            document.querySelector("main").insertAdjacentHTML(
                "beforeend",
                '<button type="button"></button><p style="color:#aaa;background:#bbb">grau</p>'
            );
        }"""
    )
    found = {v["rule"] for v in await serious_violations(page)}
    assert {"button-name", "color-contrast"} <= found
    await context.close()


async def test_widget_opens_the_chat_on_another_site(browser: Browser, server: ChatServer) -> None:
    snippet = f'<script src="{server.base}/chat/widget.js" data-start="i-sport" defer></script>'
    host = web.Application()

    async def verein(_request: web.Request) -> web.Response:
        body = f"<!doctype html><html lang=de><title>Verein</title><h1>SV Beispiel</h1>{snippet}"
        return web.Response(text=body, content_type="text/html")

    host.router.add_get("/", verein)
    runner = web.AppRunner(host)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        context = await browser.new_context(locale="de-DE", viewport=PHONE)
        page = await context.new_page()
        await page.goto(f"http://127.0.0.1:{port}/")
        opener = page.get_by_role("button", name=re.compile("Chat öffnen"))
        await expect(opener).to_have_attribute("aria-expanded", "false")
        await opener.click()
        frame = page.frame_locator("#lotse-chat-frame")
        chat = frame.get_by_role("log")
        await expect(chat).to_contain_text("In welchem Ort")  # data-start="i-sport"
        await expect(chat).to_contain_text("Sport")
        box = frame.get_by_role("textbox", name="Ihre Nachricht")
        await box.fill("Zschortau")
        await box.press("Enter")
        await expect(chat).to_contain_text("einmal mit anpacken")
        closer = page.get_by_role("button", name="Chat schließen")
        await expect(closer).to_have_attribute("aria-expanded", "true")
        await closer.click()
        await expect(page.locator("#lotse-chat-frame")).to_be_hidden()
        await context.close()
    finally:
        await runner.cleanup()


# --- layout: the newest answer in view, no button under the input bar -----------------

QUESTION = "Wie viel kostet eine Versicherung für Ehrenamtliche?"
SCREENS = {
    "phone-320": {"width": 320, "height": 568},
    "phone-375": {"width": 375, "height": 667},
    "phone-414": {"width": 414, "height": 736},
    "desktop-1280": {"width": 1280, "height": 800},
}
# The reply to what the person said last: the first bot line after their newest line.
NEWEST_REPLY = (
    "xpath=(//div[contains(concat(' ', @class, ' '), ' user ')])[last()]"
    "/following-sibling::div[contains(concat(' ', @class, ' '), ' bot ')][1]"
)


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: $LOTSE_SCREENSHOTS, else pytest's temporary directory."""
    chosen = os.environ.get("LOTSE_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def ask_on_the_offer_step(page: Page, server: ChatServer) -> None:
    """The volunteer path up to the offer list, then a question there: a long answer, the
    offers again and the question with seven buttons come back in one turn."""
    await page.goto(f"{server.base}/chat")
    log = page.get_by_role("log")
    await expect(log).to_contain_text("Hallo und willkommen")
    await page.get_by_role("button", name=re.compile("Ich möchte mich engagieren")).click()
    await expect(log).to_contain_text("Was interessiert Sie")
    box = page.get_by_role("textbox", name="Ihre Nachricht")
    for said, then in (("was mit Kindern", "In welchem Ort"), ("Zschortau", "einmal mit anpacken")):
        await box.fill(said)
        await box.press("Enter")
        await expect(log).to_contain_text(then)
    await page.get_by_role("button", name=re.compile("Regelmäßig")).click()
    await expect(log).to_contain_text("Wann haben Sie")
    await page.get_by_role("button", name=re.compile("Abends")).click()
    await expect(page.locator(".line.bot").last).to_contain_text("Möchten Sie, dass sich")
    await box.fill(QUESTION)
    await box.press("Enter")
    await expect(page.locator(NEWEST_REPLY).first).to_contain_text("Sammelvertr")
    await expect(page.locator(".line.bot").last).to_contain_text("Möchten Sie, dass sich")
    await page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(null)))")


async def top_in_view(page: Page, selector: str) -> dict[str, float]:
    return await page.locator(selector).evaluate(
        """(line) => {
            const box = line.getBoundingClientRect();
            const bar = document.getElementById("composer").getBoundingClientRect();
            return {top: box.top, height: window.innerHeight, bar: bar.top};
        }"""
    )


@pytest.mark.parametrize("screen", ["phone-375", "desktop-1280"])
async def test_the_answer_to_a_question_on_the_offer_step_is_in_view(
    browser: Browser, server: ChatServer, screenshots: Path, screen: str
) -> None:
    context = await browser.new_context(
        locale="de-DE", viewport=SCREENS[screen], reduced_motion="reduce"
    )
    page = await context.new_page()
    await ask_on_the_offer_step(page, server)
    # Not the end of the repeated offer list: the start of the answer, above the input bar.
    where = await top_in_view(page, NEWEST_REPLY)
    assert 0 <= where["top"] < where["bar"], where
    shot = screenshots / f"offer-question-{screen}.png"
    await page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    await context.close()


@pytest.mark.parametrize("screen", ["phone-320", "phone-375", "phone-414"])
async def test_the_input_bar_covers_no_button(
    browser: Browser, server: ChatServer, screen: str
) -> None:
    context = await browser.new_context(
        locale="de-DE", viewport=SCREENS[screen], reduced_motion="reduce"
    )
    page = await context.new_page()
    await ask_on_the_offer_step(page, server)
    buttons = page.locator(".line.bot").last.locator(".answers button")
    assert await buttons.count() == 10  # 3 offers, their 3 "ℹ️ Mehr", 4 more ways on
    for index in range(await buttons.count()):
        button = buttons.nth(index)
        # As the browser brings it into view when the person tabs to it.
        await button.evaluate("(b) => b.scrollIntoView({block: 'nearest'})")
        hit = await button.evaluate(
            """(b) => {
                const box = b.getBoundingClientRect();
                const bar = document.getElementById("composer").getBoundingClientRect();
                const found = document.elementFromPoint(box.left + box.width / 2,
                                                        box.top + box.height / 2);
                return {hit: found === b || b.contains(found),
                        inside: box.top >= 0 && box.bottom <= bar.top,
                        right: box.right <= window.innerWidth};
            }"""
        )
        assert hit == {"hit": True, "inside": True, "right": True}, (index, hit)
    await buttons.last.click(trial=True)  # Playwright's own check: visible, stable, not covered
    await buttons.last.click()  # ⬅️ Zurück
    await expect(page.locator(".line.bot").last).to_contain_text("Wann haben Sie")
    await context.close()


async def test_the_page_names_its_operator_with_imprint_and_privacy_policy(
    browser: Browser, content: Content, matchers: Matchers, sqlite_url: str, screenshots: Path
) -> None:
    running = await ChatServer.start(
        sqlite_url,
        content,
        matchers,
        OPERATOR_NAME="Landratsamt Nordsachsen",
        OPERATOR_ADDRESS="Dr.-Belian-Str. 4–5, 04838 Eilenburg",
        OPERATOR_CONTACT="engagement@example.org",
        IMPRINT_URL="https://example.org/impressum",
        PRIVACY_URL="https://example.org/datenschutz",
    )
    try:
        context = await browser.new_context(
            locale="de-DE", viewport=SCREENS["phone-375"], bypass_csp=True
        )
        page = await context.new_page()
        await page.goto(f"{running.base}/chat")
        await expect(page.get_by_role("log")).to_contain_text("Hallo und willkommen")
        operator = page.get_by_role("region", name="Betreiber")
        await operator.scroll_into_view_if_needed()
        await expect(operator).to_contain_text("Landratsamt Nordsachsen")
        await expect(operator).to_contain_text("04838 Eilenburg")
        await expect(operator).to_contain_text("engagement@example.org")
        imprint = operator.get_by_role("link", name="Impressum")
        await expect(imprint).to_have_attribute("href", "https://example.org/impressum")
        policy = operator.get_by_role("link", name="Datenschutzerklärung")
        await expect(policy).to_have_attribute("href", "https://example.org/datenschutz")
        assert await serious_violations(page) == []
        shot = screenshots / "operator-phone-375.png"
        await page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        # /datenschutz (the page's button) names the operator too.
        await page.get_by_role("button", name="Datenschutz").click()
        notice = page.locator(".line.bot", has_text="Datenschutz beim")
        await expect(notice).to_contain_text("Landratsamt Nordsachsen")
        await expect(notice).to_contain_text("https://example.org/impressum")
        shot = screenshots / "privacy-notice-phone-375.png"  # its commands as buttons
        await page.screenshot(path=str(shot))
        print(f"screenshot: {shot}")
        await context.close()
    finally:
        await running.stop()
