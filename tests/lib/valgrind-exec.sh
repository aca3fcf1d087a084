#!/bin/sh
# valgrind-exec.sh TEST — run a unit-test binary under valgrind (leaks and
# errors fail it); shell tests run as they are and wrap hotich themselves.
case $1 in
*.sh) exec sh "$@" ;;
esac
exec valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect "$@"
