from helpers.cli import run

run()
