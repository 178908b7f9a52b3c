"""README "Your own review in ten minutes": every command of the walkthrough, run as written, in a fresh folder."""

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def walkthrough() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Your own review in ten minutes", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)  # type: ignore[union-attr]
    return [line for line in block.splitlines() if line.strip()]


def test_the_walkthrough_runs_command_by_command(tmp_path):
    commands = walkthrough()
    assert [c.split()[0] + " " + c.split()[1] for c in commands] == [
        "imri-kg init", "printf 'W1,Workload,Work", "printf '@article{lee2020,", "printf 'e1,Workload,lee2020,Rotas",
        "imri-kg validate", "imri-kg build", "imri-kg import", "printf 'SELECT", "imri-kg query", "imri-kg export"]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    outputs = []
    for command in commands:
        done = subprocess.run(["bash", "-c", command], check=False, cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        outputs.append(done.stdout)
    assert outputs[4] == ("my-review: conforms (1 codes, 0 dimensions, 0 cases, 0 case attributes, 1 studies, "
                          "1 excerpts, 0 mappings, 0 notes); 0 warning(s).\n")
    assert outputs[6].startswith("my-review: imported (import 1): codes 1, cases 0, case attributes 0, studies 1, "
                                 "excerpts 1, mappings 0, triples ")
    assert outputs[8].splitlines() == ["text,code", "Rotas left no time to rest.,Workload"]
    trig = (tmp_path / "my-review.trig").read_text(encoding="utf-8")
    assert "<https://w3id.org/imri/graph/project/my-review/data>" in trig
    assert "<https://w3id.org/imri/graph/project/my-review/history>" in trig
    assert "graph/kb>" not in trig
