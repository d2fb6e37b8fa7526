"""Elections at a congress or a committee's first session: candidates, ballots, counting, results,
and the elected taken into the unit tree as the new term's officers.

`counting` holds the rules of the count (pure functions, no database); `models` the rows;
the writes in the order a congress runs them: `services` (the election, its list and approval),
`voting_services` (voting, counting in batches, sign-off, further rounds) and `confirmation`
(the elected into the tree, and back); `selectors` the reads; `docs` the ballots, minutes and
announcement.
"""
