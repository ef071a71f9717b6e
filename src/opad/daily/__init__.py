"""One paragraph a day: a learner's standing plan, the reading prepared for it each day
exactly once (by whichever worker's tick comes first), and where the learner finds it
(the home page, an Atom feed, `opad today`). See docs/daily.md."""
