"""The Python package against the command line: same tables, same errors.

The command line is the one `cargo test` / `cargo build` left in target/ (or
GOVLENS_BIN). Tests that need ../shared skip with a visible reason, and fail
when GOVLENS_REQUIRE_SHARED=1 (CI)."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import polars as pl
import pytest

import govlens

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample"
SHARED = ROOT.parent / "shared" / "corpora" / "ai-governance"


def cli() -> Path:
    given = os.environ.get("GOVLENS_BIN")
    candidates = [Path(given)] if given else [ROOT / "target" / p / "govlens" for p in ("debug", "release")]
    found = [c for c in candidates if c.is_file()]
    if not found:
        pytest.fail(f"no govlens binary in {candidates}: build it first (cargo build)")
    return max(found, key=lambda p: p.stat().st_mtime)


def cli_run(corpus: Path, out: Path, *extra: str) -> None:
    subprocess.run(
        [str(cli()), "run", "--corpus", str(corpus), "--out", str(out), "-q", *extra],
        check=True,
    )


def shared_corpus() -> Path:
    if SHARED.is_dir():
        return SHARED
    if os.environ.get("GOVLENS_REQUIRE_SHARED") == "1":
        pytest.fail(f"{SHARED} is required (GOVLENS_REQUIRE_SHARED=1)")
    pytest.skip(f"{SHARED} not present: the shared-corpus comparison is skipped")


def assert_same_tables(run: govlens.Run, out: Path) -> None:
    written = sorted(p.stem for p in out.glob("*.parquet"))
    assert sorted(run.tables) == written
    for name in written:
        want = pl.read_parquet(out / f"{name}.parquet")
        got = run[name]
        assert got.schema == want.schema, name
        assert got.equals(want), f"{name} differs from the command line's"


def test_sample_tables_equal_the_command_line(tmp_path):
    out = tmp_path / "cli"
    cli_run(SAMPLE, out)
    run = govlens.run(corpus=SAMPLE, progress=False)
    assert_same_tables(run, out)
    cli_manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    without_out = lambda s: {k: v for k, v in s.items() if k != "out"}
    assert without_out(run.manifest["settings"]) == without_out(cli_manifest["settings"])
    assert isinstance(run.frame_rates, pl.DataFrame) and run.frame_rates.height > 0
    assert run.skipped.height == 0


def test_shared_corpus_tables_equal_the_command_line(tmp_path):
    corpus = shared_corpus()
    out = tmp_path / "cli"
    cli_run(corpus, out)
    assert_same_tables(govlens.run(corpus=corpus, progress=False), out)


def test_write_gives_the_command_lines_files_and_open_reads_them(tmp_path):
    out = tmp_path / "cli"
    cli_run(SAMPLE, out)
    run = govlens.run(corpus=SAMPLE, progress=False, out=tmp_path / "py")
    for name in sorted(p.name for p in out.glob("*.parquet")):
        assert (tmp_path / "py" / name).read_bytes() == (out / name).read_bytes(), name
    assert (tmp_path / "py" / "report.html").is_file()
    # The explorer found the run's corpus again: the lines of terms are embedded.
    page = (tmp_path / "py" / "explorer.html").read_text(encoding="utf-8")
    assert '"term_lines":{"en":' in page and "no concordance lines of terms" not in page
    opened = govlens.open(out)
    assert sorted(opened.tables) == sorted(run.tables)
    assert opened["keyness"].equals(run.keyness)
    assert opened.manifest["settings"]["group_by"] == "jurisdiction"
    # A directory govlens did not write is never replaced.
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(govlens.OutputError):
        run.write(mine)
    assert (mine / "notes.txt").read_text() == "mine"


def test_settings_text_is_valid_toml_for_awkward_values():
    text = govlens._toml({"corpus": 'a "quoted" \\ path\x7f 中文', "threads": 2, "stats": {"größe": 1.5e-5, "flags": [True, 3]}})
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        pytest.skip("tomllib is Python 3.11+")
    parsed = tomllib.loads(text)
    assert parsed["corpus"] == 'a "quoted" \\ path\x7f 中文'
    assert parsed["stats"] == {"größe": 1.5e-5, "flags": [True, 3]}
    err = govlens.SettingsError("x")
    assert err.path is None and err.line is None and err.key is None


def test_keyword_settings_are_pipeline_keys(tmp_path):
    run = govlens.run(corpus=SAMPLE, progress=False, group_by="lang", bootstrap=0, count_names=True)
    assert run.manifest["settings"]["group_by"] == "lang"
    assert run.manifest["settings"]["count_names"] is True
    assert set(run.frame_rates["group"].unique()) == {"en", "zh"}


def test_shards_merge_into_one_run(tmp_path):
    shards = []
    for k in (1, 2):
        out = tmp_path / f"shard{k}"
        govlens.run(corpus=SAMPLE, progress=False, shard=(k, 2), out=out)
        shards.append(out)
    part = govlens.open(shards[0])
    assert any(name.startswith("shard/") for name in part.tables), sorted(part.tables)
    merged = govlens.merge(tmp_path / "all", shards)
    whole = govlens.run(corpus=SAMPLE, progress=False)
    for name in ("frames", "terms", "frame_rates", "keyness"):
        assert merged[name].equals(whole[name]), name


def test_bad_manifest_line_raises_manifest_error_with_file_and_line(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Trustworthy AI.")
    (corpus / "manifest.csv").write_text("file,doc_id,jurisdiction,lang\na.txt,a,X,en\na.txt,a,X,en\n")
    with pytest.raises(govlens.ManifestError) as e:
        govlens.run(corpus=corpus, progress=False)
    assert e.value.path.endswith("manifest.csv") and e.value.line == 3, str(e.value)
    assert "manifest.csv" in str(e.value) and "line 3" in str(e.value)
    assert isinstance(e.value, govlens.GovlensError)


def test_missing_corpus_raises_corpus_error_with_its_path(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(govlens.CorpusError) as e:
        govlens.run(corpus=missing, progress=False)
    assert str(missing) in str(e.value) and e.value.path == str(missing)


def test_bad_lexicon_entry_raises_lexicon_error_with_file_and_line(tmp_path):
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text('[[frame]]\nid = "x"\nlabel = "X"\nen = ["trust"]\nbogus = 1\n')
    with pytest.raises(govlens.LexiconError) as e:
        govlens.run(corpus=SAMPLE, lexicon=lexicon, progress=False)
    assert e.value.path == str(lexicon) and e.value.line == 5, str(e.value)


def test_a_refused_output_and_a_bad_pipeline_file_are_errors_before_the_run(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(govlens.OutputError):
        govlens.run(corpus=SAMPLE, out=mine, progress=False)
    assert (mine / "notes.txt").read_text() == "mine"
    pipeline = tmp_path / "p.toml"
    pipeline.write_text(f'corpus = {json.dumps(str(SAMPLE))}\ngroup_by = "lang"\nbootsrap = 3\n')
    with pytest.raises(govlens.PipelineError) as e:
        govlens.run(pipeline=pipeline, progress=False)
    assert e.value.path == str(pipeline) and e.value.line == 3, str(e.value)
    # A pipeline without a corpus takes it from the keyword.
    no_corpus = tmp_path / "q.toml"
    no_corpus.write_text('group_by = "lang"\n')
    run = govlens.run(pipeline=no_corpus, corpus=SAMPLE, progress=False)
    assert run.manifest["settings"]["group_by"] == "lang"


def test_unknown_setting_raises_pipeline_error_naming_the_key():
    with pytest.raises(govlens.PipelineError) as e:
        govlens.run(corpus=SAMPLE, progress=False, bootsrap=5)
    assert "bootsrap" in str(e.value)
    with pytest.raises(govlens.SettingsError):
        govlens.run(corpus=SAMPLE, progress=False, threads=0)


def test_an_unreadable_document_is_a_row_of_skipped_and_one_warning(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Trustworthy AI matters.")
    (corpus / "b.txt").write_bytes(b"\x00\x01\x02" * 100)
    with pytest.warns(UserWarning, match="1 document"):
        run = govlens.run(corpus=corpus, progress=False)
    assert run.skipped["doc_id"].to_list() == ["b.txt"]
    assert run.documents["doc_id"].to_list() == ["a.txt"]


def test_segment_gives_words_not_substrings():
    tokens = govlens.segment("坚持依法治理和法治。Trustworthy AI.")
    frames = dict(zip(tokens["surface"], tokens["frames"]))
    assert frames["依法治理"] == "" and frames["法治"] == "rule_of_law"
    assert frames["Trustworthy"] == "trustworthy"
    assert tokens.columns == ["start", "end", "surface", "term", "is_stopword", "clause", "frames"]


def test_ctrl_c_stops_a_run_within_a_second_and_writes_nothing(tmp_path):
    corpus = tmp_path / "big"
    corpus.mkdir()
    sentence = "Trustworthy AI needs the rule of law, safety and accountability. " * 100
    for i in range(1500):
        (corpus / f"d{i}.txt").write_text(sentence)
    out = tmp_path / "out"
    # The child reports when documents are being analysed; the parent interrupts
    # then, and times the interrupt to the exception the child sees.
    script = textwrap.dedent(
        f"""
        import signal, sys, time, govlens
        signal.signal(signal.SIGINT, signal.default_int_handler)
        seen = []
        def progress(done, total):
            if done and not seen:
                seen.append(done)
                print("running", total, flush=True)
        try:
            govlens.run(corpus={str(corpus)!r}, out={str(out)!r}, progress=progress, threads=1)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(42)
        print("finished", flush=True)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().split()
        assert line and line[0] == "running", line
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        said = proc.stdout.readline().strip()
        waited = time.monotonic() - sent
        assert said == "interrupted", said
        assert proc.wait(timeout=30) == 42
        assert waited < 1.0, f"stopped {waited:.2f} s after the interrupt"
        assert not out.exists()
    finally:
        proc.kill()



def test_kwic_lexicon_and_validation(tmp_path):
    lines = govlens.kwic("法治", corpus=SAMPLE)
    assert lines.columns == ["doc_id", "unit", "page", "left", "match", "right"]
    # Whole words, or words 法治 is a constituent of; never 依法治理.
    assert lines.height >= 2 and all("法治" in m for m in lines["match"])
    assert "依法治理" not in set(lines["match"])
    builtin = govlens.Lexicon()
    assert "trustworthy" in builtin.frames["frame"].to_list()
    assert "[[frame]]" in builtin.to_toml() and "法治" in builtin.check()
    dic = tmp_path / "mini.dic"
    dic.write_text("%\n1\tTrust\n%\ntrustworth*\t1\n")
    converted = govlens.Lexicon(dic)
    assert converted.frames["expression"].to_list() == ["trustworth*"]
    bad = tmp_path / "bad.dic"
    bad.write_text("%\n1\tTrust\n%\ntrustworth*\t7\n")
    with pytest.raises(govlens.LexiconError) as e:
        govlens.Lexicon(bad)
    assert e.value.path == str(bad) and e.value.line == 4, str(e.value)
    out = tmp_path / "run"
    govlens.run(corpus=SAMPLE, progress=False, out=out)
    sheet = govlens.validate.sample(out, tmp_path / "sheet.csv", per=2, seed=1)
    assert sheet.height > 0 and "relevant" in sheet.columns
    coded = sheet.with_columns(pl.lit(1).alias("relevant"))
    coded.write_csv(tmp_path / "coded.csv")
    scores = govlens.validate.score(tmp_path / "coded.csv", out)
    assert (scores["precision"] == 1.0).all() and scores["coded"].sum() == sheet.height
    with pytest.raises(govlens.GovlensError):
        govlens.validate.sample(out, tmp_path / "sheet.csv", per=2)


def test_the_shards_example_gives_the_one_run(tmp_path):
    sys.path.insert(0, str(ROOT / "examples" / "python"))
    try:
        import shards

        merged = shards.main(str(SAMPLE), str(tmp_path / "shards"), 3)
    finally:
        sys.path.remove(str(ROOT / "examples" / "python"))
    whole = govlens.run(corpus=SAMPLE, progress=False)
    for name in ("frames", "terms", "frame_rates", "keyness", "kwic"):
        assert merged[name].equals(whole[name]), name


def test_parallel_and_report(tmp_path):
    units = govlens.parallel("cn-outline", corpus=SAMPLE)
    assert units.columns == ["unit", "label_zh", "label_en", "zh_only", "en_only", "text_zh", "text_en"]
    assert "article 1" in units["unit"].to_list()
    run = govlens.run(corpus=SAMPLE, progress=False)
    page = run.report(tmp_path / "report.html")
    assert page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    with pytest.raises(govlens.OutputError):
        run.report(page)
    explorer = run.explorer(tmp_path / "explorer.html")
    assert 'id="govlens-data"' in explorer.read_text(encoding="utf-8")
    with pytest.raises(govlens.OutputError):
        run.explorer(page)
