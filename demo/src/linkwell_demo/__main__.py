from linkwell_demo.cli import main

main()
