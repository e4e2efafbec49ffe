#!/usr/bin/env python3
"""Writes the starting corpus of every fuzz target from the sample project
and the default rules; the fuzzers grow it from there (see docs/fuzzing.md)."""
import pathlib, re

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"

def put(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())

sales = (root / "sample-data/sales/2023-01.csv").read_text().splitlines()
master = (root / "sample-data/customers.csv").read_text().splitlines()
italian = "Data documento;Codice Cliente;Importo riga;Costo;Quantità\n04/03/2025;C1;1.234,56;(12,00);3\n31/12/2024;C2;12,50-;€ 1,00;1\n"

# sales_line: a selector byte (delimiter, dialects) and one line.
for i, line in enumerate(sales[1:4]):
    put("sales_line", f"sample{i}", bytes([1]) + line.encode())
put("sales_line", "italian", bytes([0]) + b"04/03/2025;C1;1.234,56;INV1;P1;Cat;3;(12,00)")
put("sales_line", "quoted", bytes([1]) + b'2025-01-31 00:00:00,"C ""1""","1,234.5-",,,,"2",$ 3.00')
put("sales_line", "tab", bytes([2]) + b"4.3.2025\tC9\t\xe2\x82\xac 12,50\t\t\t\t1'000\t-\xe2\x82\xac 1,00")

# sales_file: a selector byte (dialect settings) and a file.
put("sales_file", "sample", bytes([0]) + "\n".join(sales[:12]).encode() + b"\n")
put("sales_file", "italian", bytes([0]) + italian.encode())
put("sales_file", "italian_given", bytes([0b1100_0101]) + italian.encode())
put("sales_file", "cp1252", bytes([0]) + italian.replace("à", "\xe0").encode("latin-1", "replace"))
put("sales_file", "title_above", bytes([0]) + b"Sales report 2025\n" + "\n".join(sales[:5]).encode())

# header: a header, sample lines, `=header=field` mappings.
put("header", "sample", "\n".join(sales[:4]))
put("header", "master", "\n".join(master[:4]))
put("header", "italian", italian)
put("header", "explicit", "=Totale=revenue\nGiorno|Cliente|Totale\n1/1/2025|C1|3\n")

# rules and expression: the default rules.
for path in sorted((root / "rules").glob("*.toml")):
    put("rules", path.stem, bytes([0]) + path.read_bytes())
put("rules", "broken", bytes([1]) + (root / "tests/fixtures/broken_rules.toml").read_bytes())
for text in (root / "rules").glob("*.toml"):
    for i, m in enumerate(re.findall(r"^when = '(.*)'$", text.read_text(), re.M)):
        put("expression", f"{text.stem}{i}", f"revenue - (cost or 0)\n{m}\n{{{{ revenue | money }}}} {{{{ growth | pct }}}}")
put("expression", "filters", "margin / revenue if revenue else none\ntrue\n{{ last_purchase | date }} {{ median_gap | num(1) }}")

# accounts: the sample project's account files.
for path in sorted((root / "sample-data/accounts").glob("*.toml")):
    put("accounts", path.stem, path.read_bytes())
