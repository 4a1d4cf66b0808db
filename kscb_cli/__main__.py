from kscb_cli.cli.entry import main

main()
