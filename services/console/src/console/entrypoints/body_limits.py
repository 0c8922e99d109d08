"""Request bodies refused before they are read: the runtime's `LimitRequestBodies` (the middleware every
service gets from `create_service_app`) with the console's limits, and its 413 shown as a page.

The upload form takes a file of up to MAX_UPLOAD_BYTES (and its multipart wrapping); every other form
is a few hundred bytes, so anything over FORM_BYTES is refused. The console's app is not built by
`create_service_app` (it serves pages, not problem+json), so it adds the middleware itself."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from console.config import Settings
from console.entrypoints.web import render
from linkwell_runtime.input_guards import LimitRequestBodies

FORM_BYTES = 64 * 1024
MULTIPART_SLACK = 64 * 1024  # boundaries, part headers, the CSRF token and the kind around the file
UPLOAD_PATH = "/uploads"


class ConsoleBodyLimits(LimitRequestBodies):
    """The upload form's limit read from the settings at each request (tests change it); FORM_BYTES
    for everything else."""

    def __init__(self, app: ASGIApp, routes: list[BaseRoute], settings: Settings) -> None:
        super().__init__(app, routes, default=FORM_BYTES)
        self.settings = settings

    def limit_for(self, scope: Scope) -> int:
        if scope.get("path") == UPLOAD_PATH and scope.get("method") == "POST":
            return self.settings.max_upload_bytes + MULTIPART_SLACK
        return super().limit_for(scope)


class TooLargeAsAPage:
    """Outside `ConsoleBodyLimits`: its 413 problem+json becomes a page a person can read (the upload
    form's says how large a file may be). The rest of the body is still not read."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replaced = False

        async def watched(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and message["status"] == 413:
                replaced = True
                page = self._page(Request(scope))
                page.headers["Connection"] = "close"
                await page(scope, receive, send)
                return
            if not replaced:
                await send(message)

        await self.app(scope, receive, watched)

    def _page(self, request: Request) -> Response:
        if request.url.path == UPLOAD_PATH:
            mib = self.settings.max_upload_bytes // (1024 * 1024)
            message = (
                f"The file is larger than {mib} MB, the most one upload may hold. Nothing was uploaded: "
                "split the file by period and upload each part."
            )
            back = (UPLOAD_PATH, "Back to Commissioner data")
            return render(request, "error.html", 413, title="The file is too large", message=message, back=back)
        message = "The form sent more than this page accepts. Nothing was changed."
        return render(request, "error.html", 413, title="That request was too large", message=message)
