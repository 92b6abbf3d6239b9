"""bench/block_model.py: sites, folds grouped by site, the fit, and the holdout set refused."""

import numpy as np
import pytest

from bench.block_model import PageRows, chosen_texts, cross_validate, fit, grouped_folds, parse_args, site_of


def test_a_site_is_the_registrable_domain_or_the_key_without_its_number():
    assert site_of("wcxb-1", "https://www.bbc.co.uk/news/world-1") == "bbc.co.uk"
    assert site_of("wcxb-2", "https://someone.substack.com/p/post") == "substack.com"
    assert site_of("wcxb-3", "https://foo.github.io/post") == "foo.github.io"
    assert site_of("readability-webmd-1", "") == site_of("readability-webmd-2", "") == "readability-webmd"
    assert site_of("readability-blogger", "") == "readability-blogger"


def test_folds_keep_every_site_whole_and_come_out_about_the_same_size():
    sites = {f"page-{i}": f"site-{i % 23}" for i in range(200)}
    sites |= {f"big-{i}": "big-site" for i in range(12)}
    folds = grouped_folds(sites, 5)
    assert sorted(key for fold in folds for key in fold) == sorted(sites)
    fold_of = {sites[key]: n for n, fold in enumerate(folds) for key in fold}
    assert all(fold_of[sites[key]] == n for n, fold in enumerate(folds) for key in fold)
    sizes = [len(fold) for fold in folds]
    assert max(sizes) - min(sizes) <= 12
    assert grouped_folds(sites, 5) == folds  # seeded


def _page(rng: np.random.Generator, blocks: int = 12) -> PageRows:
    """A page whose first feature says which blocks are article text; the second is noise."""
    article = rng.random(blocks) < 0.6
    x = np.column_stack([article.astype(float), rng.random(blocks)])
    texts = [f"{'story' if a else 'menu'} block number {i} of this page" for i, a in enumerate(article)]
    truth = "\n\n".join(t for t, a in zip(texts, article, strict=True) if a)
    return PageRows(texts, list(range(blocks)), x, article.astype(float), truth, truth)


def test_the_fit_finds_the_feature_that_marks_article_text_and_chooses_by_it():
    rng = np.random.default_rng(0)
    pages = {f"p{i}": _page(rng) for i in range(30)}
    coef, bias = fit(list(pages.values()), penalty=1e-3)
    assert coef[0] > 1 and abs(coef[1]) < coef[0] / 5
    texts = chosen_texts(pages, coef, bias, threshold=0.5, runs=False)
    assert all(texts[key] == page.truth for key, page in pages.items())


def test_cross_validation_scores_each_fold_for_every_setting():
    rng = np.random.default_rng(1)
    pages = {f"p{i}": _page(rng) for i in range(12)}
    folds = grouped_folds({key: key for key in pages}, 3)
    cv = cross_validate(pages, folds, penalties=[1e-3, 1.0], thresholds=[0.5])
    assert set(cv.scores) == {(1e-3, 0.5), (1.0, 0.5)}
    assert all(len(scores) == 3 for scores in cv.scores.values())
    assert cv.mean(cv.best) == max(cv.mean(setting) for setting in cv.scores)


def test_the_holdout_set_is_never_fitted_on(tmp_path):
    with pytest.raises(SystemExit):
        parse_args(["--datasets", f"{tmp_path / 'extraction-dev'},{tmp_path / 'extraction-holdout'}"])
