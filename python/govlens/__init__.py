"""govlens in Python: run the pipeline in-process, every table a polars DataFrame.

    import govlens
    run = govlens.run(corpus="corpora/sample", group_by="jurisdiction")
    run.frame_rates            # a polars DataFrame, as frame_rates.parquet
    run["keyness"]             # the same, by name
    run.write("out/sample")    # the run directory `govlens run` writes

The engine is the command line's (the Rust library); tables cross as Arrow
streams, not files. Errors are ``GovlensError`` subclasses with ``path``,
``line`` and ``key`` attributes where the message names them.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

import polars as pl

from . import _govlens
from ._govlens import (
    CorpusError,
    DocumentError,
    FileError,
    GovlensError,
    LexiconError,
    ManifestError,
    OutputError,
    PipelineError,
    SettingsError,
)

# Every govlens exception has these, None where its message names no file, line or key.
GovlensError.path = None
GovlensError.line = None
GovlensError.key = None

__all__ = [
    "run",
    "open",
    "segment",
    "merge",
    "kwic",
    "parallel",
    "Lexicon",
    "validate",
    "Run",
    "GovlensError",
    "ManifestError",
    "LexiconError",
    "PipelineError",
    "SettingsError",
    "CorpusError",
    "DocumentError",
    "OutputError",
    "FileError",
]

PathLike = Union[str, "os.PathLike[str]"]

# Keys of a pipeline file's top level; any other keyword setting is a key of [stats].
_TOP_LEVEL = {
    "corpus",
    "out",
    "lexicon",
    "lexicon_format",
    "group_by",
    "threads",
    "strict",
    "max_file_mb",
    "batch_mb",
    "count_zones",
    "count_names",
}
_PATHS = {"corpus", "out", "lexicon"}


class Run:
    """A finished run: its tables as polars DataFrames, and its ``run.json``.

    ``run.tables`` is a dict of every table by name; ``run["frames"]`` and
    ``run.frames`` are one table; ``run.manifest`` is ``run.json`` as a dict;
    ``run.skipped`` the documents that could not be read (``errors.parquet``).
    """

    def __init__(self, tables: Dict[str, pl.DataFrame], manifest: Dict[str, Any], handle: Any = None):
        self.tables = tables
        self.manifest = manifest
        self._handle = handle

    def __getitem__(self, name: str) -> pl.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"no table {name!r}; tables: {', '.join(self.tables)}") from None

    def __getattr__(self, name: str) -> pl.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __repr__(self) -> str:
        docs = self.tables.get("documents")
        n = 0 if docs is None else docs.height
        return f"<govlens.Run: {n} documents, {len(self.tables)} tables>"

    @property
    def skipped(self) -> pl.DataFrame:
        """The documents that could not be read, and why (``errors.parquet``)."""
        return self.tables["errors"]

    def report(self, path: PathLike) -> Path:
        """Writes the run's ``report.html`` (self-contained) to ``path``, a file that
        must not exist yet."""
        return self._page("report.html", path)

    def explorer(self, path: PathLike) -> Path:
        """Writes the run's ``explorer.html`` (self-contained: terms, frames, language
        versions and map, every number a click from its lines) to ``path``, a file
        that must not exist yet. Its lines of terms are read again from the corpus."""
        return self._page("explorer.html", path)

    def _page(self, name: str, path: PathLike) -> Path:
        import shutil
        import tempfile

        target = Path(path)
        if target.exists():
            raise OutputError(f"{target}: exists; govlens does not replace a file it did not write")
        with tempfile.TemporaryDirectory() as tmp:
            written = self.write(Path(tmp) / "run", report=True)
            shutil.copyfile(written / name, target)
        return target

    def write(self, out: PathLike, report: bool = True) -> Path:
        """Writes the run directory ``out`` as ``govlens run`` does, byte for byte,
        with ``report.html`` and ``explorer.html`` unless ``report=False``. A directory govlens did not
        write is never replaced (``OutputError``)."""
        if self._handle is None:
            raise GovlensError("this run was read from a directory; it is written already")
        return Path(self._handle.write(os.fspath(os.path.abspath(out)), report))


def _table(arrow: Any) -> pl.DataFrame:
    return pl.DataFrame(arrow)


def run(
    corpus: Optional[PathLike] = None,
    pipeline: Optional[PathLike] = None,
    *,
    lexicon: Optional[PathLike] = None,
    group_by: Optional[str] = None,
    out: Optional[PathLike] = None,
    threads: Optional[int] = None,
    progress: Any = True,
    shard: Optional[Tuple[int, int]] = None,
    **settings: Any,
) -> Run:
    """Runs govlens on a corpus in this process and returns a :class:`Run`.

    corpus:    a corpus directory (with or without manifest.csv).
    pipeline:  a pipeline TOML file; keyword settings are laid over its keys.
    lexicon:   a lexicon file (govlens TOML, LIWC .dic, YAML, Lexicoder, WordStat).
    group_by:  the document column to compare by (default "jurisdiction").
    out:       also write the run directory there, as the command line does.
    threads:   worker threads (default: all cores).
    progress:  a progress bar (tqdm when installed, else lines), False for
               none, or a callable taking (documents done, documents).
    shard:     (k, n): the k-th of n shards of the corpus; join with merge.
    settings:  any other key of a pipeline file, by its name: strict,
               count_zones, count_names, max_file_mb, batch_mb, and the keys of
               [stats] (bootstrap, min_count, keyness, textrank, ngrams, ...).

    Ctrl-C (KeyboardInterrupt) stops the run after the document in hand;
    nothing is written. A document that cannot be read is a row of
    ``run.skipped`` and one warning.
    """
    keys: Dict[str, Any] = dict(settings)
    for name, value in (("group_by", group_by), ("threads", threads)):
        if value is not None:
            keys[name] = value
    text = _settings(corpus, lexicon, keys)
    if callable(progress):
        bar = _Callback(progress)
    else:
        bar = _progress() if progress else None
    try:
        handle, notes = _govlens.run(
            None if pipeline is None else os.path.abspath(os.fspath(pipeline)),
            text,
            None if shard is None else (int(shard[0]), int(shard[1])),
            bar,
            None if out is None else os.path.abspath(os.fspath(out)),
        )
    finally:
        if bar is not None:
            bar.close()
    for note in notes:
        warnings.warn(note, stacklevel=2)
    tables = {name: _table(handle.table(name)) for name in handle.table_names()}
    result = Run(tables, json.loads(handle.manifest_json()), handle)
    errors = tables.get("errors")
    if errors is not None and errors.height:
        warnings.warn(
            f"{errors.height} document(s) could not be read; see run.skipped",
            stacklevel=2,
        )
    if out is not None:
        result.write(out)
    return result


def open(run_dir: PathLike) -> Run:  # noqa: A001 - the package's verb
    """Reads a run directory written by ``govlens run`` (or ``Run.write``)."""
    root = Path(run_dir)
    manifest_path = root / "run.json"
    if not manifest_path.is_file():
        raise OutputError(f"{root}: not a govlens run directory (no run.json)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    # A shard's parts for the merge are in sub-folders (shard/ngrams ...), named so.
    tables = {
        p.relative_to(root).with_suffix("").as_posix(): pl.read_parquet(p)
        for p in sorted(root.rglob("*.parquet"))
    }
    return Run(tables, manifest)


def merge(out: PathLike, shards: List[PathLike], *, threads: Optional[int] = None, report: bool = True) -> Run:
    """Joins the run directories of the n shards of one corpus (``run(...,
    shard=(k, n), out=...)``) into ``out``, the run directory one run over the
    whole corpus would have written, and returns it as a :class:`Run`."""
    written = _govlens.merge(
        os.path.abspath(os.fspath(out)),
        [os.path.abspath(os.fspath(s)) for s in shards],
        threads,
        report,
    )
    return open(written)


def _settings(corpus: Optional[PathLike], lexicon: Optional[PathLike], settings: Dict[str, Any]) -> str:
    keys: Dict[str, Any] = dict(settings)
    if corpus is not None:
        keys["corpus"] = corpus
    if lexicon is not None:
        keys["lexicon"] = lexicon
    top: Dict[str, Any] = {}
    stats: Dict[str, Any] = {}
    for name, value in keys.items():
        if name in _PATHS:
            value = os.path.abspath(os.fspath(value))
        (top if name in _TOP_LEVEL else stats).__setitem__(name, value)
    if stats:
        top["stats"] = stats
    return _toml(top)


def kwic(
    term: str,
    corpus: Optional[PathLike] = None,
    pipeline: Optional[PathLike] = None,
    *,
    lexicon: Optional[PathLike] = None,
    window: int = 8,
) -> pl.DataFrame:
    """Every occurrence of ``term`` (a word, a phrase or a ``*`` wildcard, in either
    language) in the corpus, with ``window`` tokens of context each side: columns
    doc_id, unit, page, left, match, right. Documents that cannot be read give one
    warning."""
    text = _settings(corpus, lexicon, {})
    table, skipped = _govlens.kwic(
        term, None if pipeline is None else os.path.abspath(os.fspath(pipeline)), text, window
    )
    if skipped:
        warnings.warn(f"{len(skipped)} document(s) could not be read: {skipped[0][0]}: {skipped[0][1]} ...", stacklevel=2)
    return _table(table)


def parallel(
    work: str,
    corpus: Optional[PathLike] = None,
    pipeline: Optional[PathLike] = None,
    *,
    lexicon: Optional[PathLike] = None,
) -> pl.DataFrame:
    """The aligned units of ``work`` (the manifest's ``work`` column: one zh and one
    en version) where the versions' frames differ: unit, label_zh, label_en,
    zh_only and en_only (frames, comma-separated), text_zh, text_en."""
    text = _settings(corpus, lexicon, {})
    pipe = None if pipeline is None else os.path.abspath(os.fspath(pipeline))
    return _table(_govlens.parallel(work, pipe, text))


class Lexicon:
    """A frame lexicon: govlens TOML, or a dictionary the command line reads (LIWC
    ``.dic``, YAML, Lexicoder ``.lc3``, WordStat ``.cat``; ``format`` when the
    extension does not say). ``Lexicon()`` is the built-in lexicon."""

    def __init__(self, path: Optional[PathLike] = None, format: Optional[str] = None):
        self.path = None if path is None else os.path.abspath(os.fspath(path))
        self.format = format
        # Read now, so that a bad file raises here (LexiconError with file and line).
        self._frames = _table(_govlens.lexicon_frames(self.path, format))

    @property
    def frames(self) -> pl.DataFrame:
        """One row per expression or exclusion: frame, label, description, lang,
        expression, kind ("expression" or "exclude")."""
        return self._frames

    def check(self) -> str:
        """How the segmenter cuts each Chinese expression, with warnings where a
        longer dictionary word can hide it (as ``govlens lexicon check``)."""
        text, _ = _govlens.lexicon_check(self.path, self.format)
        return text

    def to_toml(self) -> str:
        """The lexicon as govlens TOML (``govlens lexicon convert``)."""
        return _govlens.lexicon_toml(self.path, self.format)

    def __repr__(self) -> str:
        n = self._frames["frame"].n_unique()
        return f"<govlens.Lexicon {self.path or 'built-in'}: {n} frames>"


class _Validate:
    """Measured precision of the frame counts (see the README's Validation)."""

    @staticmethod
    def sample(run_dir: PathLike, out: PathLike, *, per: int = 20, seed: int = 2024) -> pl.DataFrame:
        """Draws ``per`` hits per frame and language of the run directory, seeded,
        into the coding sheet ``out`` (a CSV, never overwritten), and returns it."""
        _govlens.validate_sample(os.path.abspath(os.fspath(run_dir)), per, seed, os.path.abspath(os.fspath(out)))
        return pl.read_csv(out)

    @staticmethod
    def score(sheet: PathLike, run_dir: Optional[PathLike] = None) -> pl.DataFrame:
        """Precision per frame and language of a coded sheet, with Wilson 95%
        intervals; with ``run_dir``, every hit must be a hit of that run."""
        run = None if run_dir is None else os.path.abspath(os.fspath(run_dir))
        return _table(_govlens.validate_score(os.path.abspath(os.fspath(sheet)), run))


validate = _Validate()


def segment(text: str, lexicon: Optional[PathLike] = None) -> pl.DataFrame:
    """The tokens of ``text`` as a run sees them: byte spans (of the UTF-8 text),
    surface, term, stopword flag, clause (a phrase never crosses one) and the
    frames a token starts, comma-separated."""
    lex = None if lexicon is None else os.path.abspath(os.fspath(lexicon))
    return _table(_govlens.segment(text, lex))


class _Callback:
    def __init__(self, call: Any) -> None:
        self.call = call

    def __call__(self, done: int, total: int) -> None:
        self.call(done, total)

    def close(self) -> None:
        pass


class _Lines:
    """Progress as plain lines, where tqdm is not installed."""

    def __init__(self) -> None:
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if total and done != self.last and (done == total or done - self.last >= max(1, total // 10)):
            print(f"govlens: {done}/{total} documents", flush=True)
            self.last = done

    def close(self) -> None:
        pass


class _Tqdm:
    def __init__(self, tqdm: Any) -> None:
        self.tqdm = tqdm
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if total == 0:
            return
        if self.bar is None:
            self.bar = self.tqdm(total=total, unit="doc", desc="govlens")
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _progress() -> Any:
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _Lines()
    return _Tqdm(tqdm)


def _toml(table: Dict[str, Any]) -> str:
    """A flat TOML text of keyword settings (a [stats] table for its keys)."""
    lines: List[str] = []
    nested = table.pop("stats", None)
    def name(key: str) -> str:
        bare = key.isascii() and key.replace("_", "").replace("-", "").isalnum()
        return key if bare else json.dumps(key, ensure_ascii=False)

    for key, value in table.items():
        lines.append(f"{name(key)} = {_value(key, value)}")
    if nested:
        lines.append("[stats]")
        for key, value in nested.items():
            lines.append(f"{name(key)} = {_value(key, value)}")
    return "\n".join(lines) + "\n"


def _value(key: str, value: Any) -> str:
    import numbers

    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, str):
        # JSON's escapes are TOML's, but for DEL, which TOML wants escaped.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(key, v) for v in value) + "]"
    raise SettingsError(f"{key}: {value!r} is not a setting's value (a bool, number, string or list)")
