"""Long documents cannot hang a worker (issue 16 item 4, reliability-security test 38,
reports.pdf_pool): a PDF is laid out in a warm child process and stopped at
UNIONREC_PDF_SECONDS; the page then says so with the way out (the Excel file); the pool goes on
serving, also to several threads at once."""

from __future__ import annotations

import threading
import time

import pytest
from django.urls import reverse

from reports import pdf_pool
from reports.pdf import html_to_pdf

LONG = "<table>" + "".join(f"<tr><td>{n}</td><td>Hàng {n}</td></tr>" for n in range(30_000))
LONG += "</table>"


def test_a_document_is_laid_out_in_a_child_process():
    pdf = html_to_pdf("<p>Đoàn viên</p>")
    assert pdf.startswith(b"%PDF-")
    assert pdf_pool.POOL._idle and all(w.process.is_alive() for w in pdf_pool.POOL._idle)


def test_a_document_past_its_time_is_stopped_and_the_pool_goes_on(settings):
    html_to_pdf("<p>warm</p>")  # a warm process, so the limit counts the layout alone
    settings.UNIONREC_PDF_SECONDS = 1
    started = time.monotonic()
    with pytest.raises(pdf_pool.PdfTimeout):
        html_to_pdf(LONG)
    assert time.monotonic() - started < 5
    settings.UNIONREC_PDF_SECONDS = 60
    assert html_to_pdf("<p>after</p>").startswith(b"%PDF-")  # a new process took its place
    assert pdf_pool.POOL._running <= settings.UNIONREC_PDF_WORKERS


def test_threads_share_the_pool(settings):
    results: list[bytes] = []

    def one() -> None:
        results.append(html_to_pdf("<p>x</p>"))

    threads = [threading.Thread(target=one) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 5 and all(pdf.startswith(b"%PDF-") for pdf in results)
    assert pdf_pool.POOL._running <= settings.UNIONREC_PDF_WORKERS


@pytest.mark.django_db
def test_the_page_says_the_pdf_took_too_long_and_offers_the_excel_file(
    client_as, tree, english, monkeypatch
):
    def stopped(html, css):
        raise pdf_pool.PdfTimeout(60)

    monkeypatch.setattr(pdf_pool, "render", stopped)
    client = client_as("secretary")
    url = reverse("reports:statistics_pdf", args=["union"])
    response = client.get(url, {"lang": "en"})
    html = response.content.decode()
    assert response.status_code == 503
    assert "not ready within 60 seconds" in html and "Excel" in html
    excel = reverse("reports:statistics_xlsx", args=["union"]) + "?lang=en"
    assert f'href="{excel}"' in html
    assert client.get(excel).status_code == 200


def test_a_process_that_died_while_idle_is_replaced():
    html_to_pdf("<p>warm</p>")
    for worker in pdf_pool.POOL._idle:
        worker.process.kill()
        worker.process.join(5)
    assert html_to_pdf("<p>again</p>").startswith(b"%PDF-")
