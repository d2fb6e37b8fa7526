"""Demo data: the demo bloc that `make run` loads, and generated members for benchmarks.

The top floor: it may import every app, and no app imports it. Faker, which it reads
names from, is a development/demo dependency only.
"""
