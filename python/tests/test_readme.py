"""The README's Python example runs as written (from the repository root)."""

import os
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_example_runs_as_written(capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = readme.index("<!-- python-example")
    block = re.search(r"```python\n(.*?)```", readme[marker:], re.S)
    assert block, "the example block follows its marker"
    out = ROOT / "out" / "sample-from-python"
    shutil.rmtree(out, ignore_errors=True)
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(block.group(1), "README.md", "exec"), {})
    finally:
        os.chdir(here)
    printed = capsys.readouterr().out
    assert "shape: (5, " in printed and "rule_of_law" in printed and "法治" in printed
    assert (out / "frame_rates.parquet").is_file() and (out / "report.html").is_file()
    shutil.rmtree(out)
