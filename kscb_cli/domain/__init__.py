"""The framework's facts over a store: the working-day calendar, statutory and local clocks, the action tracker, the learning loop, lifecycles, links between records, Table Two."""
