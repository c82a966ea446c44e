SELECT 1; -- the tables' own drop removes the renamed constraints
