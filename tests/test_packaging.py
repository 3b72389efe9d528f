"""A wheel built from the repository carries loaders, cards, processing resources, recipes and demo data."""
import subprocess
import sys
import zipfile
from pathlib import Path

from bigscience_corpus.catalogue import REPO_ROOT, sources


def test_wheel_contains_every_part_of_the_catalogue(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO_ROOT), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("bigscience_corpus-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"bigscience_corpus/recipes/demo.yaml", "bigscience_corpus/commands/build.py",
                "bigscience_corpus/processing/resources/roots_thresholds.json"}
    for name, source in sources().items():
        expected |= {f"bigscience_corpus/loaders/{name}.py", f"bigscience_corpus/cards/{name}.md"}
        data = source.fixture.get("data_files")
        if data:
            folder = Path(REPO_ROOT / "bigscience_corpus" / data).parent
            expected |= {f"bigscience_corpus/{p.relative_to(REPO_ROOT / 'bigscience_corpus').as_posix()}"
                         for p in folder.rglob("*") if p.is_file()}
    assert expected - names == set()
