"""Elections at a congress: their rule sets and counting (`counting`, `domain`), the records
(`models`), the writes step by step (`services`: setup and candidates; `rounds`;
`certification`), the one read model of a result (`results.outcome`), and the API, forms
and pages built on them."""
