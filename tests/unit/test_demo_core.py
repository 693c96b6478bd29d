"""The demo shop exists twice (sandbox tenant and register company); both must tell the same story."""

from importlib.resources import files


def test_the_register_demo_and_the_sandbox_demo_share_one_catalogue() -> None:
    register_copy = files("kassasync.pos").joinpath("demo_core.json").read_bytes()
    sandbox_copy = files("fortnox_sandbox").joinpath("seed/demo_core.json").read_bytes()
    assert register_copy == sandbox_copy
