-- Work due reads the soonest strategy discussions to hold in decision order: index that order,
-- so the page reads a few rows however many discussions an authority has held.
DROP INDEX strategy_discussions_state;
CREATE INDEX strategy_discussions_to_hold ON strategy_discussions(authority_id, state, decided_at);

-- Information requests are also sent from a child's episode, and listed on it.
CREATE INDEX information_requests_episode ON information_requests(episode_id);
