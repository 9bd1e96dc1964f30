import pytest

from tests.corpus import require_corpus


@pytest.fixture
def corpus():
    return require_corpus()
