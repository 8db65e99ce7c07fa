from idcgen.cli import main

main()
