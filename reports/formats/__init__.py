"""The formats of every report: reports.formats.<report> lays out the dataset of
reports.datasets.<report> as its PDF (through reports.pdf) and its workbook (through
reports.excel), and holds no rule and no query of its own."""
