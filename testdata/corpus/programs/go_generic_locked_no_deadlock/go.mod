module corpus/go_generic_locked_no_deadlock

go 1.19
