"""The formats of every report: reports.formats.<report> lays out the dataset of
reports.datasets.<report> as its PDF (through reports.pdf) and its workbook (through
reports.excel); the roster also as CSV, the statistics and the representation also as a chart
(through reports.charts). A format holds no rule and no query of its own."""
