from npsdesk.cli import main

main()
