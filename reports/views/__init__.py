"""The pages and downloads of reports, one module per report (the statistics and the
representation share one, exports has the roster downloads and the background exports);
what every download shares is in `downloads`. Each view reads one dataset
(reports.datasets) and hands it to the page or to a format (reports.formats)."""
