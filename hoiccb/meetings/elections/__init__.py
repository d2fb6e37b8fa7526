"""Elections at a congress or a committee's first session: candidates, ballots, counting, results,
and the elected taken into the unit tree as the new term's officers.

`counting` holds the rules of the count (pure functions, no database); `models` the rows;
`services` the writes; `selectors` the reads; `docs` the ballots, minutes and announcement.
"""
