migrations {
  command      = "python3 manage.py migrate --noinput"
  down_command = "python3 manage.py migrate shop zero --noinput"
}
