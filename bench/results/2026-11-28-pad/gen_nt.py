# Writes data.nt: 100,000 subjects x 16 triples (8 literals, 8 IRIs of 5,000 nodes), for held_padding.py.
import random
random.seed(1)
with open("data.nt","w") as f:
    for r in range(100_000):
        s=f"<https://ex.org/row/{r:07d}-abcdef0123456789>"
        for k in range(16):
            if k<8:
                f.write(f'{s} <https://ex.org/p{k}> "text value {random.random()} for row {r}"@en .\n')
            else:
                f.write(f'{s} <https://ex.org/p{k}> <https://ex.org/node/{random.randrange(5000)}> .\n')
