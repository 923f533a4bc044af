from npsdesk.cli.main import main

main()
