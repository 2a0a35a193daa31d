#!/usr/bin/env python3
"""Usage: python3 validation/agreement_from_units.py RUN_DIR MANIFEST.csv (needs polars).

Frame agreement of language versions, computed from a run's units and unit_frames tables
(for runs of govlens before parallel.parquet existed): units keyed by kind and number (with a
sub-number from the label), numbered paragraphs folded into the preceding keyed unit, cells
(unit, frame) with a hit in either version; agreement = both / cells."""
import re, sys, csv, collections, polars as pl
run, manifest = sys.argv[1], sys.argv[2]
work = {r['doc_id']: r.get('work') for r in csv.DictReader(open(manifest, encoding='utf-8'))}
docs = pl.read_parquet(f'{run}/documents.parquet').select(['doc_id', 'lang'])
lang = dict(zip(docs['doc_id'], docs['lang']))
units = pl.read_parquet(f'{run}/units.parquet')
uf = pl.read_parquet(f'{run}/unit_frames.parquet')
CN = '〇零一二三四五六七八九十百千两'
def key(kind, number, label):
    if kind in ('preamble', 'paragraph') or number is None: return None
    m = re.search(r'[-之]\s*([0-9０-９' + CN + r']+)', label)
    sub = m.group(1) if m else None
    return f'{kind} {number}' + (f'-{sub}' if sub else '')
keys = {}
for doc, g in units.sort(['doc_id', 'unit_id']).group_by('doc_id', maintain_order=True):
    last = None
    for u in g.iter_rows(named=True):
        k = key(u['kind'], u['number'], u['label'])
        if k is None and u['kind'] == 'paragraph': k = last
        else: last = k
        keys[(doc[0], u['unit_id'])] = k
hits = collections.defaultdict(set)
for r in uf.iter_rows(named=True):
    k = keys.get((r['doc_id'], r['unit_id']))
    if k: hits[r['doc_id']].add((k, r['frame']))
present = collections.defaultdict(set)
for (doc, uid), k in keys.items():
    if k: present[doc].add(k)
by_work = collections.defaultdict(dict)
for d, w in work.items():
    if w and d in lang: by_work[w].setdefault(lang[d], []).append(d)
for w, v in sorted(by_work.items()):
    if len(v.get('zh', [])) != 1 or len(v.get('en', [])) != 1: continue
    z, e = v['zh'][0], v['en'][0]
    aligned = present[z] & present[e]
    hz = {c for c in hits[z] if c[0] in aligned}; he = {c for c in hits[e] if c[0] in aligned}
    both, cells = len(hz & he), len(hz | he)
    print(f'{w:<45} aligned {len(aligned):>3}  cells {cells:>3}  both {both:>3}  agreement {both / cells if cells else float("nan"):.3f}')
