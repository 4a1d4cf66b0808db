from kscb_cli.cli.main import main

main()
