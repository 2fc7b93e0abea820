"""Group unique texts into problems without being told how many: kNN graph + Leiden on LSA vectors.

Settings are the same for every corpus (measured in ``benchmarks/README.md``):
stemmed words (glossary words shared across languages) + character 3-grams -> TF-IDF -> LSA(200)
-> cosine 10-nearest-neighbour graph -> Leiden modularity at resolution ``RESOLUTION``. Two
English texts are also compared on their words' meaning (``semantic``: static sentence-model
word vectors), so wordings of one request that share no word can meet; a pair with a Russian
text is compared on LSA alone.
Modularity is scale-free (it compares each group's internal weight with what the graph's own
degree distribution predicts), so the number of clusters follows from the data. With a context
(the step), a group whose texts of one step hang on the rest by a thin bridge is cut there. Two
languages that barely link are clustered apart, each against its own link weight.
Members far from the rest of their group, and groups of one, are one-offs. Inputs above
``GRAPH_MAX`` unique texts are clustered on an evenly spaced sample of that size; the rest join the
nearest cluster centroid in stemmed-word space when they are about as close as the cluster's own
members typically are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qualitylab.clustering import features, graph, semantic, threads
from qualitylab.clustering.text import Stemmer

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from scipy import sparse

    FloatArray = npt.NDArray[np.float32]
    IntArray = npt.NDArray[np.int64]
    BoolArray = npt.NDArray[np.bool_]

Progress = Callable[[str, float], None]

LSA_DIM = 200
LSA_FIT_ROWS = 5_000
#: Power iterations after the X X^T R sketch: one more cost ~0.1 s at 10k texts and moved
#: NMI/ARI by < 0.01 (benchmarks/README.md).
LSA_POWER_ITERATIONS = 0
NEIGHBOURS = 10
#: Extra weight of a kNN link between two texts from the same place (``cluster_texts(context)``):
#: such a link counts three times. Measured on the demo lab and bank (benchmarks/README.md):
#: 0 / 1 / 2 / 4 took clusters mixing problems from 39 to 28 / 19 / 16 on the demo lab.
CONTEXT_BOOST = 2.0
#: Neighbours less similar than this are no link at all.
MIN_SIMILARITY = 1e-6
MIN_NEIGHBOURS = 5
RESOLUTION = 8.0
#: Upper bound on the per-pair similarity two groups need to be merged (see ``resolution_for``).
MAX_LINK_DENSITY = 0.1
#: ... lowered towards this as same-fix links (``suggestion_links``) reach up to
#: ``LINKED_FULL_SHARE`` of the texts.
LINKED_LINK_DENSITY = 0.02
LINKED_FULL_SHARE = 0.3
#: Largest number of unique texts clustered as one graph; beyond it, sample + assign.
GRAPH_MAX = 5_000
#: A text is a one-off when its closeness to the rest of its group is below this share of the
#: median closeness in the run (scale-free: relative to the corpus' own tightness).
ONE_OFF_RATIO = 0.45
#: ... and whatever the run, when less than this share of its TF-IDF weight is in terms other
#: texts use too (``lengths``): the relative floor above cannot see that in a corpus of a few
#: texts, where a shared trigram or two made "the app froze on the payment screen" and "the font
#: on the receipt is tiny" a cluster, or pulled "Cannot change my delivery address" into six
#: copies of "Refund never arrived after cancellation". Scores on the benchmark sets move by
#: < 0.001 (CLINC 12.3 -> 12.4 % one-offs); 0.2 still let the second case through.
MIN_SHARED = 0.3
#: Each side of a split must hold this many texts for ``split_strength`` to consider it.
MIXED_MIN_PART = 3
#: Largest number of a cluster's texts ``split_strength`` looks at (an eigen-decomposition).
MIXED_MAX_TEXTS = 300
#: Cosine between two suggested fixes (stemmed words) from which they count as the same fix.
SUGGESTION_MIN = 0.5
#: Weight of a same-fix link per unit of that cosine (a same-place text link weighs up to 3).
SUGGESTION_WEIGHT = 3.0
#: Most same-fix links a text keeps (its strongest, a pair kept by either side): when hundreds
#: of authors on one step suggest one fix, linking every pair made the graph quadratic (20,000
#: texts of one journey, one shared fix: 3.2 GB and 10 s); 30 is more than any step of the demo
#: lab needs, so its fix list is unchanged.
SUGGESTION_MAX_LINKS = 30
#: Two suggestions must share this many stemmed words to say the same: "fix it" and "please
#: fix" share one and link nothing.
SUGGESTION_MIN_WORDS = 2
#: Words that ask for a fix without saying which one. They do not count towards the stems two
#: suggestions must share, so "please fix the app asap" and "make the app work properly" link
#: nothing; with the one-off rule's ``shares_a_fix``, such a link would keep an unrelated
#: report in any group whose members wrote the same vague words.
VAGUE_FIX_WORDS = frozenset(
    (
        "fix fixed fixes fixing repair solve resolve make do work works working properly "
        "correctly normally normal better improve improved improvement asap urgent urgently now "
        "immediately app application something anything problem problems issue issues bug bugs "
        "thing things stuff исправить исправьте исправили исправление починить почините починили "
        "решить решите сделать сделайте сделали работать работало работал работала работали "
        "работает заработало нормально нормальный нормальным нормальное лучше улучшить улучшите "
        "пожалуйста срочно сейчас приложение приложения приложении проблему проблема проблемы "
        "проблем баг баги нибудь"
    ).split()
)
#: Cosine of their stemmed words from which two repeated texts of one place (see
#: ``join_repeats``) are one problem. On CLINC150's 22,500 rows 0.5 / 0.4 / 0.3 gave 199 / 193 /
#: 192 groups (231 unjoined) at the same NMI / ARI (benchmarks/README.md); Leiden on the same
#: links instead of connected sets gave the same groups.
REPEAT_JOIN = 0.4
#: Use English word meaning next to TF-IDF between English texts (``semantic``).
USE_MEANING = True
#: A community is cut where the texts of one place (step) hang on its other texts by a link
#: weaker than this (conductance, as ``split_strength``; 0.15 flags a cluster as mixed) and no
#: pair across the cut suggested the same fix (``split_at_places``). Measured on the demo lab and
#: on it with a third of the problems spread over several steps (benchmarks/README.md, sixth
#: look): 0.15 moved nothing, 0.5 without the same-fix condition cut multi-step problems apart.
PLACE_SPLIT_BELOW = 0.3
#: Texts of two languages are clustered apart when the links between the languages carry less
#: than this share of the smaller language's link weight (conductance). ``mixed`` (CLINC150 +
#: Russian appeals, no shared problem): 0.002; the demo lab's journeys: 0.30-0.60; its problem
#: bank without steps: 0.003-0.24 (benchmarks/README.md, seventh look).
LANGUAGE_SPLIT_BELOW = 0.01


@dataclass
class Grouping:
    """Result over unique texts: label per row (-1 = one-off) and the vectors used.

    ``vectors`` holds LSA rows only for the texts the graph saw (all of them, or the sample of a
    large corpus); ``vector_of[i]`` is the row of text ``i`` in it, or -1.
    """

    labels: IntArray
    vectors: FloatArray
    vector_of: IntArray
    feats: features.Features
    #: The graph the communities were found on (rows as in ``vectors``), for ``split_strength``.
    links: sparse.csr_matrix | None = None


def _noop(stage: str, fraction: float) -> None:
    del stage, fraction


def knn_graph(
    z: FloatArray,
    k: int,
    *,
    chunk: int = 256,
    meaning: FloatArray | None = None,
    covered: BoolArray | None = None,
) -> sparse.csr_matrix:
    """Symmetric cosine kNN graph (rows of ``z`` are unit vectors); weights are similarities > 0.

    Selecting the k largest per row is most of the cost: ``np.partition`` finds each row's
    k-th largest value and a mask picks the rest, about half the time of ``np.argpartition``
    (which moves an index array along). Ties at the k-th value keep every tied neighbour, unless
    a chunk of rows would keep more than twice k per row (identical vectors): that chunk keeps
    exactly k per row instead. Row chunks are independent, so they run on ``threads.workers()``
    threads (numpy releases the GIL for all of it); the result does not depend on how many.
    """
    import numpy as np
    from scipy import sparse as sp

    n = z.shape[0]
    k = min(k, n - 1)
    if k <= 0:
        return sp.csr_matrix((n, n), dtype=np.float64)
    zt = np.ascontiguousarray(z.T)
    #: (meaning rows, their transpose, covered) when pairs of English texts also mix meaning
    mix: tuple[FloatArray, FloatArray, BoolArray] | None = None
    if meaning is not None and covered is not None:
        mix = (meaning, np.ascontiguousarray(meaning.T), covered)
    w2 = np.float32(semantic.WEIGHT**2)

    def neighbours(start: int) -> tuple[IntArray, FloatArray]:
        sims = z[start : start + chunk] @ zt  # small chunks stay in cache
        if mix is not None:
            rows, rows_t, english = mix
            both = english[start : start + chunk, None] & english[None, :]
            joint = (sims + w2 * (rows[start : start + chunk] @ rows_t)) / (1 + w2)
            sims = np.where(both, joint, sims)
        size = sims.shape[0]
        sims[np.arange(size), start + np.arange(size)] = -np.inf
        kth = np.partition(sims, n - k, axis=1)[:, n - k]
        flat = np.flatnonzero((sims >= kth[:, None]) & (sims > MIN_SIMILARITY))
        if flat.size > 2 * k * size:  # many exact ties (identical vectors): keep k per row
            idx = np.argpartition(sims, n - k, axis=1)[:, n - k :]
            flat = (idx + (np.arange(size) * n)[:, None]).ravel()
            flat = flat[sims.ravel()[flat] > MIN_SIMILARITY]
        return flat + start * n, sims.ravel()[flat]

    parts = threads.map_in_order(neighbours, range(0, n, chunk))
    r, c = np.divmod(np.concatenate([p[0] for p in parts]), n)
    v = np.concatenate([p[1] for p in parts]).astype(np.float64)
    english = None if mix is None else mix[2]
    if english is not None and english.mean() < semantic.ENGLISH_CORPUS:
        # in a bilingual corpus meaning re-ranks and re-weighs the links between English texts,
        # but their total stays what TF-IDF gave them: the modularity null model (2m) and the
        # resolution cap read the graph's total, so a signal on the English half must not
        # change how finely the Russian half is split
        both = english[r] & english[c]
        if both.any():
            lsa = np.einsum("ij,ij->i", z[r[both]], z[c[both]]).astype(np.float64)
            v[both] *= max(float(lsa.sum()), 0.0) / float(v[both].sum())
    g = sp.csr_matrix((v, (r, c)), shape=(n, n))
    return sp.csr_matrix(g.maximum(g.T))


def place_codes(context: Sequence[str]) -> IntArray:
    """Context values as small integers in sorted order; a blank value (-1) is no place at all."""
    import numpy as np

    places = {c: j for j, c in enumerate(sorted({c for c in context if c}))}
    return np.asarray([places.get(c, -1) for c in context], dtype=np.int64)


def same_place_boost(
    g: sparse.csr_matrix, places: IntArray, kin: Kin | None = None
) -> sparse.csr_matrix:
    """Links between texts written in the same place count ``1 + CONTEXT_BOOST`` times, and so
    do links between texts of two places whose authors suggested the same fix (``kin``, from
    ``suggestion_links``): one problem met on several steps ("the app is slow" everywhere) would
    otherwise be cut into a piece per step.

    Context only strengthens links the texts' words already made (the kNN graph is built from
    content alone), so it can never pull unrelated one-offs together. A context with fewer than
    two places carries no information and leaves the graph untouched.
    """
    import numpy as np

    if len(set(places[places >= 0].tolist())) < 2:
        return g
    rows = np.repeat(np.arange(g.shape[0]), np.diff(g.indptr))
    same = (places[rows] == places[g.indices]) & (places[rows] >= 0)
    if kin is not None:
        same |= kin.linked(rows, g.indices)
    boosted = g.copy()
    boosted.data = boosted.data * np.where(same, 1.0 + CONTEXT_BOOST, 1.0)
    return boosted


def _communities(
    z: FloatArray,
    lengths: FloatArray,
    seed: int,
    places: IntArray | None = None,
    fix_links: FixLinks | None = None,
    meaning: FloatArray | None = None,
    covered: BoolArray | None = None,
    russian: BoolArray | None = None,
) -> tuple[IntArray, sparse.csr_matrix]:
    """Leiden labels with one-offs as -1 (renumbered 0..), and the graph they were found on.

    A member is a one-off when its similarity to the rest of its group, scaled by how much of
    the text the shared topics explain (``lengths``), falls below ``ONE_OFF_RATIO`` x the median,
    unless its author suggested the same fix as another member's (``shares_a_fix``).
    """
    import numpy as np

    content = knn_graph(z, neighbours_for(z.shape[0]), meaning=meaning, covered=covered)
    extra, kin = (None, None) if fix_links is None else (fix_links.links, fix_links.across)
    g = content
    if places is not None:
        g = same_place_boost(g, places, kin)
    if extra is not None:
        g = sparse_max(g, extra)
    has_fix = np.zeros(g.shape[0], dtype=bool) if extra is None else np.diff(extra.indptr) > 0
    labels = np.full(g.shape[0], -1, dtype=np.int64)
    for part in language_parts(g, russian):
        one = part.size == g.shape[0]  # the usual case: no sub-graphs to copy
        sub = content if one else content[part][:, part]
        linked = float(np.mean(has_fix[part])) if part.size else 0.0
        # from content alone (a context must not move the cap), lowered as far as same-fix
        # links reach the texts: they keep pieces of one problem together that words would not
        resolution = resolution_for(sub, linked)
        found = graph.communities(g if one else g[part][:, part], resolution=resolution, seed=seed)
        labels[part] = found + labels.max() + 1
    if places is not None and PLACE_SPLIT_BELOW > 0:
        labels = split_at_places(g, labels, places, kin)
    labels = _drop_small(np.where(lengths >= MIN_SHARED, labels, -1))
    if labels.max(initial=-1) < 0:
        return labels, g
    near = z if meaning is None else semantic.joined(z, meaning)

    def closeness(labels: IntArray) -> FloatArray:
        """Like the graph: a text without meaning is judged on LSA alone."""
        sims = _centroid_sims(near, labels)
        if covered is not None and meaning is not None and not covered.all():
            sims = np.where(covered, sims, _centroid_sims(z, labels))
        out: FloatArray = sims * lengths
        return out

    sims = closeness(labels)
    floor = ONE_OFF_RATIO * float(np.median(sims[labels >= 0]))
    for _ in range(3):  # dropping a one-off can leave its last companion alone
        kept = _drop_small(np.where((sims >= floor) | shares_a_fix(extra, labels), labels, -1))
        if np.array_equal(kept, labels):
            break
        labels = kept
        sims = closeness(labels)
    return labels, g


def language_parts(g: sparse.csr_matrix, russian: BoolArray | None) -> list[IntArray]:
    """Rows of ``g`` to cluster as one graph each: all of them, or each language's texts when
    the two languages barely link (``LANGUAGE_SPLIT_BELOW``).

    Modularity weighs a join against the link weight of the whole graph, so in a file of two
    unrelated corpora each would be clustered as coarsely as one corpus of both sizes (its
    resolution limit). On ``mixed`` (CLINC150 test + Russian appeals) the English half found its
    intents with ARI 0.372 instead of 0.483, and the file 123 groups for 256. Links that carry
    under 1 % of a language's weight join nothing across the languages anyway; where the
    languages do meet (a bilingual lab, the glossary's shared words) nothing changes.
    """
    import numpy as np

    every = [np.arange(g.shape[0], dtype=np.int64)]
    if russian is None or russian.all() or not russian.any():
        return every
    degree = np.asarray(g.sum(axis=1)).ravel()
    volume = min(float(degree[russian].sum()), float(degree[~russian].sum()))
    across = float(g[russian][:, ~russian].sum())
    if volume <= 0 or across >= LANGUAGE_SPLIT_BELOW * volume:
        return every
    return [np.flatnonzero(russian), np.flatnonzero(~russian)]


def split_at_places(
    g: sparse.csr_matrix,
    labels: IntArray,
    places: IntArray,
    kin: Kin | None = None,
) -> IntArray:
    """Communities cut where one place's texts hang on the rest by a thin bridge.

    Modularity can join two problems of different steps that share a few words ("stuck on a
    white page" after the bank's code, "stuck in the browser" after Gosuslugi): for a community
    with texts from several places, the texts of each place are cut from the rest, and the
    thinnest such cut (weight crossing it over the smaller side's total weight, as in
    ``split_strength``) below ``PLACE_SPLIT_BELOW`` becomes two communities; repeated on what is
    left. A cut across which two authors suggested the same fix (``kin``) is not made: that is
    one problem met on several steps, the thing ``same_place_boost`` keeps together.
    """
    import numpy as np

    out = labels.copy()
    nxt = int(labels.max(initial=-1)) + 1
    sym = g.maximum(g.T).tocsr()
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(nxt + 1))
    for c in range(nxt):
        rows = np.sort(order[bounds[c] : bounds[c + 1]])
        while rows.size >= 2 * MIXED_MIN_PART:
            where = places[rows]
            kinds, counts = np.unique(where[where >= 0], return_counts=True)
            if kinds.size < 2:
                break
            sub = sym[rows][:, rows]
            degree = np.asarray(sub.sum(axis=1)).ravel()
            total = float(degree.sum())
            best, cut_place = PLACE_SPLIT_BELOW, -1
            for place, count in zip(kinds.tolist(), counts.tolist(), strict=True):
                if count < MIXED_MIN_PART or rows.size - count < MIXED_MIN_PART:
                    continue
                side = where == place
                if kin is not None and kin.any_between(rows[side], rows[~side]):
                    continue
                volume = float(degree[side].sum())
                cut = float(sub[side][:, ~side].sum())
                smaller = min(volume, total - volume)
                if smaller > 0 and cut / smaller < best:
                    best, cut_place = cut / smaller, place
            if cut_place < 0:
                break
            side = where == cut_place
            out[rows[side]] = nxt
            nxt += 1
            rows = rows[~side]
    return out


def shares_a_fix(extra: sparse.csr_matrix | None, labels: IntArray) -> BoolArray:
    """Members with a same-fix link (``suggestion_links``) to another member of their group.

    Such a text is worded unlike the rest (that is why the link was needed), so its words sit
    far from the group's centre; judged on words alone it went back to being a one-off, and
    the link that put it into the group was undone (issue 12: "no service for 6 hours on the
    porting day" next to "SMS от банка не приходят", one suggested fix).
    """
    import numpy as np

    held = np.zeros(labels.shape, dtype=bool)
    if extra is None or extra.nnz == 0:
        return held
    link = extra.tocoo()
    same = (labels[link.row] == labels[link.col]) & (labels[link.row] >= 0)
    held[link.row[same]] = True
    return held


def sparse_max(a: sparse.csr_matrix, b: sparse.csr_matrix) -> sparse.csr_matrix:
    """Element-wise maximum of two graphs (a link counts once, at its stronger weight)."""
    from scipy import sparse as sp

    return sp.csr_matrix(a.maximum(b))


@dataclass
class Kin:
    """Texts of two different places whose authors suggested the same fix, as a boolean matrix
    over the texts with a suggestion (at most ``GRAPH_MAX`` squared bytes: 25 MB).

    Not a sparse matrix of pairs: when many authors suggest one fix, the pairs are quadratic in
    number (5,000 texts of one journey with one shared fix: 25 million pairs, 2.3 GB at peak as
    int64 row/column arrays, where this matrix is 25 MB).
    """

    #: Per text (graph row): its row and column in ``same``; -1 for a text without a suggestion.
    row: IntArray
    same: BoolArray

    def linked(self, a: IntArray, b: IntArray) -> BoolArray:
        """Element by element: are ``a[k]`` and ``b[k]`` kin?"""
        import numpy as np

        ra, rb = self.row[a], self.row[b]
        known = (ra >= 0) & (rb >= 0)
        out = np.zeros(len(ra), dtype=bool)
        out[known] = self.same[ra[known], rb[known]]
        return out

    def any_between(self, a: IntArray, b: IntArray) -> bool:
        """Is some text of ``a`` kin to some text of ``b``?"""
        import numpy as np

        ra, rb = self.row[a], self.row[b]
        ra, rb = ra[ra >= 0], rb[rb >= 0]
        return bool(ra.size and rb.size and self.same[np.ix_(ra, rb)].any())


@dataclass
class FixLinks:
    """What the authors' suggested fixes add to the graph (``suggestion_links``)."""

    #: Same fix, same place (or no places known): a link of its own, weighted like a same-place
    #: text link of that similarity.
    links: sparse.csr_matrix | None
    #: Same fix, two places: no link of its own, but a link the words made counts as if the
    #: two were written in one place (``same_place_boost``).
    across: Kin | None = None


def suggestion_links(
    suggestions: Sequence[str], stemmer: Stemmer, places: IntArray | None
) -> FixLinks | None:
    """Links between texts whose authors suggested the same fix (``SUGGESTION_MIN`` cosine of
    their suggestions' stemmed words): of one place, weighted like a same-place text link of
    that similarity; of two places, only as kin for ``same_place_boost``. A fix shared across
    steps adds no link because two different problems of two steps can share a fix ("show the
    full price") and their words do not link them; measured on the demo lab with every third
    problem moved to random steps (``benchmarks/cross_language.py``), the kin rule keeps such a
    problem in one piece more often (0.747 -> 0.800 of its reports in its main cluster) and
    changes nothing for problems of one step.

    Two wordings of one problem often share no words ("code never came" / "нет смс") while the
    fix their authors ask for is the same; the graph otherwise cannot see that. Two suggestions
    must share ``SUGGESTION_MIN_WORDS`` stems that are not ``VAGUE_FIX_WORDS`` (or their glossary
    concepts), so a generic "fix it" or "please fix the app asap" links nothing.
    """
    import numpy as np
    from scipy import sparse as sp

    n = len(suggestions)
    rows = [i for i, text in enumerate(suggestions) if text]
    if len(rows) < 2:
        return None
    feats = features.build([suggestions[i] for i in rows], stemmer, char_weight=0.0)
    x = feats.stem_block
    if x.nnz == 0:
        return None
    sims = np.asarray((x @ x.T).todense(), dtype=np.float32)
    present = sp.csr_matrix(x, copy=True)
    present.data[:] = 1.0
    words = sorted(VAGUE_FIX_WORDS)
    stems = stemmer.stems(words)
    vague = set(stems) | {stemmer.concept(w, t) for w, t in zip(words, stems, strict=True)}
    # vague words count towards the cosine, not towards the stems two fixes must share
    present = present @ sp.diags(
        np.asarray([name not in vague for name in feats.stem_names], dtype=np.float32)
    )
    sims[np.asarray((present @ present.T).todense()) < SUGGESTION_MIN_WORDS] = 0.0
    np.fill_diagonal(sims, 0.0)
    idx = np.asarray(rows, dtype=np.int64)
    sims[sims < SUGGESTION_MIN] = 0.0
    kin = None
    if places is not None and len(set(places[places >= 0].tolist())) >= 2:
        # every matrix here is (texts with a suggestion)^2: never a list of their pairs (``Kin``)
        p = places[idx]
        other = p[:, None] != p[None, :]
        known = p >= 0
        across = (sims > 0) & other & known[:, None] & known[None, :]
        if across.any():
            row = np.full(n, -1, dtype=np.int64)
            row[idx] = np.arange(idx.size)
            kin = Kin(row, across)
        sims[other | ~known[:, None]] = 0.0  # a link of its own only within one place
    r, c = np.nonzero(strongest(sims, SUGGESTION_MAX_LINKS))
    weight = sims[r, c].astype(np.float64) * SUGGESTION_WEIGHT
    return FixLinks(sp.csr_matrix((weight, (idx[r], idx[c])), shape=(n, n)), kin)


def strongest(sims: FloatArray, k: int, *, chunk: int = 1_024) -> BoolArray:
    """The positive entries of a symmetric matrix that are among their row's ``k`` largest, or
    their column's (a pair either side keeps): a sparse graph of the strongest links, as the kNN
    graph is, in rows of ``chunk`` at a time. Ties are cut the same way for the same input."""
    import numpy as np

    n = sims.shape[0]
    if n <= k + 1:
        return sims > 0
    keep = np.zeros(sims.shape, dtype=bool)
    for start in range(0, n, chunk):
        block = sims[start : start + chunk]
        top = np.argpartition(-block, k, axis=1)[:, :k]
        keep[np.arange(start, start + block.shape[0])[:, None], top] = True
    keep &= sims > 0
    out: BoolArray = keep | keep.T
    return out


def neighbours_for(n: int) -> int:
    """``NEIGHBOURS``, fewer on tiny corpora where ten would reach into other problems."""
    return int(min(NEIGHBOURS, max(MIN_NEIGHBOURS, round(n**0.5))))


def resolution_for(g: sparse.csr_matrix, linked: float = 0.0) -> float:
    """``RESOLUTION``, capped so two groups never need a denser link than ``MAX_LINK_DENSITY``.

    At resolution r, modularity joins two groups when the similarity between them per pair of
    texts exceeds r x mean degree / n. On a few hundred texts that bar rises above any real
    similarity and every problem would shatter; the cap keeps small corpora sensible while large
    ones are unaffected.
    """
    n = g.shape[0]
    total = float(g.sum())
    if n == 0 or total <= 0:
        return RESOLUTION
    reach = min(1.0, linked / LINKED_FULL_SHARE)
    density = MAX_LINK_DENSITY + (LINKED_LINK_DENSITY - MAX_LINK_DENSITY) * reach
    return float(min(RESOLUTION, density * n * n / total))


def _drop_small(labels: IntArray) -> IntArray:
    """Groups of one are one-offs, not clusters."""
    import numpy as np

    valid = labels >= 0
    sizes = np.bincount(labels[valid]) if valid.any() else np.zeros(0, dtype=np.int64)
    keep = valid.copy()
    keep[valid] = sizes[labels[valid]] >= 2
    return _renumber(np.where(keep, labels, -1))


def _centroid_sims(z: FloatArray, labels: IntArray) -> FloatArray:
    """Cosine of each member to the centroid of the *other* members of its cluster.

    Leaving the text out matters for small groups: two unrelated texts are each 0.7 from their
    shared centroid but only as close to each other as they really are.
    """
    import numpy as np

    k = int(labels.max(initial=-1)) + 1
    if k == 0:
        return np.zeros(labels.shape, dtype=np.float32)
    mask = labels >= 0
    sums = _label_sums(z, labels, k)
    others = sums[np.maximum(labels, 0)] - z
    norms = np.linalg.norm(others, axis=1)
    norms[norms == 0] = 1.0
    sims = np.einsum("ij,ij->i", z, others) / norms
    return np.where(mask, sims, 0.0).astype(np.float32)


def _label_sums(z: FloatArray, labels: IntArray, k: int) -> FloatArray:
    """Sum of the rows of ``z`` per label 0..k-1 (-1 ignored), as one sparse product.

    ``np.add.at`` does the same row by row and took ~15x longer on a 5,000 x 200 matrix.
    """
    import numpy as np
    from scipy import sparse as sp

    mask = np.flatnonzero(labels >= 0)
    onehot = sp.csr_matrix(
        (np.ones(mask.size, dtype=np.float32), (labels[mask], mask)), shape=(k, z.shape[0])
    )
    sums: FloatArray = np.asarray(onehot @ z, dtype=np.float32)
    return sums


def _renumber(labels: IntArray) -> IntArray:
    import numpy as np

    out = np.full(labels.shape, -1, dtype=np.int64)
    mask = labels >= 0
    if mask.any():
        _, inv = np.unique(labels[mask], return_inverse=True)
        out[mask] = inv
    return out


def centroids(z: FloatArray, labels: IntArray) -> FloatArray:
    """Unit-length mean vector per cluster label 0..k-1."""

    k = int(labels.max()) + 1 if labels.size and labels.max() >= 0 else 0
    return features.normalise_dense(_label_sums(z, labels, k))[0]


def _assign_by_stems(
    stems: sparse.csr_matrix,
    sample: IntArray,
    sample_labels: IntArray,
    chunk: int = 100_000,
    meaning: semantic.Meaning | None = None,
) -> IntArray:
    """Labels for all rows of a large corpus from the clustered sample.

    The rest join the nearest cluster centroid in stemmed-word TF-IDF space (cheap: ~10 terms a
    text) when at least as close as ``ONE_OFF_RATIO`` x the sample members' median closeness.
    With a meaning signal, texts that have a meaning vector are compared on [stems | meaning]
    (centroids unit length as a whole); the rest still on stems alone, against the stems-only
    floor, so a text without a vector is not held to a bar it cannot reach.
    """
    import numpy as np
    from scipy import sparse as sp

    n = stems.shape[0]
    labels = np.full(n, -1, dtype=np.int64)
    labels[sample] = sample_labels
    k = int(sample_labels.max(initial=-1)) + 1
    if k == 0:
        return labels
    member = sample[sample_labels >= 0]
    owner = sample_labels[sample_labels >= 0]
    onehot = sp.csr_matrix(
        (np.ones(owner.size, dtype=np.float32), (owner, np.arange(owner.size))),
        shape=(k, owner.size),
    )
    stem_sums = np.asarray((onehot @ stems[member]).todense(), dtype=np.float32)
    sums_t = np.ascontiguousarray(stem_sums.T)
    stem_norms = _lengths(stem_sums)
    weight = np.float32(semantic.WEIGHT)
    meaning_sums = np.zeros((k, 0), dtype=np.float32)
    joint_norms = stem_norms
    if meaning is not None:
        meaning_sums = np.asarray(onehot @ (weight * meaning.rows(member)), dtype=np.float32)
        joint_norms = _lengths(np.hstack([stem_sums, meaning_sums]))

    def closeness(idx: IntArray, joint: bool) -> FloatArray:
        """Cosine of rows ``idx`` to each centroid: stems only, or [stems | meaning]."""
        raw = np.asarray(stems[idx] @ sums_t, dtype=np.float32)
        if not joint:
            return raw / stem_norms.T
        extra = (weight * meaning.rows(idx)) @ meaning_sums.T if meaning is not None else 0.0
        out: FloatArray = (raw + extra) / joint_norms.T
        return out

    def floor(joint: bool) -> float:
        own = closeness(member, joint)[np.arange(owner.size), owner]
        return max(ONE_OFF_RATIO * float(np.median(own)), 1e-6)

    floors = {False: floor(False)} | ({True: floor(True)} if meaning is not None else {})
    rest = np.ones(n, dtype=bool)
    rest[sample] = False
    rest_idx = np.flatnonzero(rest)
    if meaning is not None:
        chunk = min(chunk, 25_000)  # a dense row of meaning per text in the chunk
    for start in range(0, rest_idx.size, chunk):
        idx = rest_idx[start : start + chunk]
        covered = meaning.covered[idx] if meaning is not None else np.zeros(idx.size, bool)
        for joint, rows in ((True, idx[covered]), (False, idx[~covered])):
            if rows.size:
                sims = closeness(rows, joint)
                best = np.argmax(sims, axis=1)
                ok = sims[np.arange(rows.size), best] >= floors[joint]
                labels[rows[ok]] = best[ok]
    return labels


def _lengths(rows: FloatArray) -> FloatArray:
    """Row lengths as a column, zeros replaced by 1 (an empty centroid stays empty)."""
    import numpy as np

    norms: FloatArray = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return norms


def group(
    normalised_texts: Sequence[str],
    *,
    seed: int,
    stemmer: Stemmer | None = None,
    progress: Progress | None = None,
    context: Sequence[str] | None = None,
    suggestions: Sequence[str] | None = None,
) -> Grouping:
    """Cluster unique texts (normalised, in canonical order); ``context`` and ``suggestions``
    (normalised) see ``cluster_texts``."""
    import numpy as np

    report = progress or _noop
    stemmer = stemmer or Stemmer()
    n = len(normalised_texts)
    large = n > GRAPH_MAX
    sample = np.unique(np.linspace(0, n - 1, GRAPH_MAX).astype(np.int64)) if large else None
    report("features", 0.0)
    feats = features.build(normalised_texts, stemmer, tfidf_rows=sample)
    report("features", 1.0)
    x = feats.tfidf
    has_terms = np.flatnonzero(np.diff(x.indptr) > 0)
    graph_rows = feats.tfidf_rows[has_terms]
    vector_of = np.full(n, -1, dtype=np.int64)
    labels = np.full(n, -1, dtype=np.int64)
    z = np.zeros((0, 1), dtype=np.float32)
    links = None
    if has_terms.size >= 2:
        report("lsa", 0.0)
        x = x[has_terms]
        x = x[:, np.unique(x.indices)]  # terms left by min_df only; random input has many gaps
        z, lengths = features.lsa(
            x, LSA_DIM, seed=seed, fit_rows=LSA_FIT_ROWS, n_iter=LSA_POWER_ITERATIONS
        )
        vector_of[graph_rows] = np.arange(graph_rows.size)
        meaning = (
            semantic.meaning(feats.counts, feats.vocabulary.words, graph_rows)
            if USE_MEANING
            else None
        )
        report("lsa", 1.0)
        report("neighbours", 0.0)
        places = None if context is None else place_codes(context)[graph_rows]
        fix_links = None
        if suggestions is not None and any(suggestions):
            fix_links = suggestion_links([suggestions[i] for i in graph_rows], stemmer, places)
        sub, links = _communities(
            z,
            lengths,
            seed,
            places,
            fix_links,
            meaning=None if meaning is None else meaning.rows(graph_rows),
            covered=None if meaning is None else meaning.covered[graph_rows],
            russian=feats.russian[graph_rows],
        )
        report("neighbours", 1.0)
        if large:
            report("assign", 0.0)
            labels = _assign_by_stems(feats.stem_block, graph_rows, sub, meaning=meaning)
            report("assign", 1.0)
        else:
            labels[graph_rows] = sub
    return Grouping(
        labels=_renumber(labels), vectors=z, vector_of=vector_of, feats=feats, links=links
    )


def join_repeats(
    stems: sparse.csr_matrix, places: IntArray | None, *, chunk: int = 256
) -> IntArray:
    """One problem number per row of ``stems`` (texts the repeated-texts rule makes problems):
    rows of the same place whose stemmed words reach ``REPEAT_JOIN`` cosine are one problem,
    and so are rows linked through such pairs. Numbered by first row, so canonical order in
    gives the same numbers out.

    Crowds write one request in several fixed wordings ("you are correct", "that's correct",
    "yes, that is correct"): each wording repeated three times used to be a problem of its own.
    Rows are compared in chunks, so memory stays at ``chunk`` x rows whatever their number.
    """
    import numpy as np
    from scipy import sparse as sp
    from scipy.sparse.csgraph import connected_components

    n = stems.shape[0]
    x = features.normalise_rows(sp.csr_matrix(stems, dtype=np.float32))
    xt = sp.csr_matrix(x.T)
    pairs: list[tuple[IntArray, IntArray]] = [(np.zeros(0, np.int64), np.zeros(0, np.int64))]
    for start in range(0, n, chunk):
        sims = sp.coo_matrix(x[start : start + chunk] @ xt)
        keep = sims.data >= REPEAT_JOIN
        r, c = sims.row[keep].astype(np.int64) + start, sims.col[keep].astype(np.int64)
        if places is not None:
            same = places[r] == places[c]
            r, c = r[same], c[same]
        pairs.append((r, c))
    r, c = (np.concatenate(side) for side in zip(*pairs, strict=True))
    links = sp.csr_matrix((np.ones(r.size, dtype=np.int8), (r, c)), shape=(n, n))
    _, comp = connected_components(links, directed=False)
    return _renumber(comp.astype(np.int64))


def split_strength(links: sparse.csr_matrix | None, rows: IntArray) -> float:
    """How strongly the best two-way split of a cluster is held together (0..1, 1 = one piece).

    The conductance of the cluster's own links cut in two along the Fiedler vector of their
    normalised Laplacian: the weight crossing the cut over the smaller side's total weight. Two
    problems that share a word or two sit in one cluster as two well-linked halves with a thin
    bridge, which shows here as a low figure; a problem written in several wordings still has
    links (same-fix, same-step) across its wordings. Texts outside the graph are not counted; a
    cluster larger than ``MIXED_MAX_TEXTS`` is judged on an evenly spaced subset of that size.
    """
    import numpy as np

    if links is None or rows.size < 2 * MIXED_MIN_PART:
        return 1.0
    if rows.size > MIXED_MAX_TEXTS:
        rows = np.sort(rows)[np.linspace(0, rows.size - 1, MIXED_MAX_TEXTS).astype(np.int64)]
    sub = links[rows][:, rows].toarray().astype(np.float64)
    sub = np.maximum(sub, sub.T)
    degree = sub.sum(axis=1)
    live = degree > 0
    if np.count_nonzero(live) < 2 * MIXED_MIN_PART:
        return 1.0
    sub, degree = sub[np.ix_(live, live)], degree[live]
    inv = 1.0 / np.sqrt(degree)
    laplacian = np.eye(degree.size) - inv[:, None] * sub * inv[None, :]
    _, vecs = np.linalg.eigh(laplacian)
    order = np.argsort(vecs[:, 1] * inv, kind="stable")
    # sweep the Fiedler order: cut and volume of each prefix, computed incrementally
    ordered = sub[np.ix_(order, order)]
    deg = degree[order]
    inward = np.tril(ordered, k=-1).sum(axis=1)  # weight from each node to the nodes before it
    cut = np.cumsum(deg - 2.0 * inward)
    volume = np.cumsum(deg)
    total = float(volume[-1])
    sizes = np.arange(1, deg.size + 1)
    valid = (sizes >= MIXED_MIN_PART) & (deg.size - sizes >= MIXED_MIN_PART)
    if not valid.any():
        return 1.0
    smaller = np.minimum(volume, total - volume)[valid]
    return float(min(1.0, np.min(cut[valid] / np.maximum(smaller, 1e-12))))
