"""Every test folder shares the fixtures of tests/support, loaded as pytest plugins."""

pytest_plugins = [
    "tests.support.fixtures",
    "tests.support.stack_fixtures",
    "tests.support.swarm_fixtures",
    "tests.support.runtime_stack",
]
