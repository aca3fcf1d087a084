# hotich on Debian 12, with the same packages as a developer machine
# (tools/debian-packages.txt).  See docker-compose.yml and README.md.
FROM debian:12

COPY tools/debian-packages.txt tools/install-deps.sh /src/tools/
# (not the browser and load tools that only the tests use)
RUN HOTICH_DEPS_SKIP="chromium chromium-driver python3-selenium wrk" \
    sh /src/tools/install-deps.sh && rm -rf /var/lib/apt/lists/*

COPY . /src
RUN make -C /src clean && CI=true make -C /src hotich \
    && make -C /src install PREFIX=/usr/local \
    && install -m 755 /src/tools/docker-entrypoint.sh /usr/local/bin/ \
    && rm -rf /src

# hotich runs unprivileged, as uid 10001 (a fixed number, so that a host
# folder it writes, such as ./exports, can be given to it); its state
# (HOTICH_HOME) is a volume.
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/hotich hotich
USER hotich
ENV HOTICH_HOME=/var/lib/hotich
WORKDIR /var/lib/hotich
VOLUME ["/var/lib/hotich"]

ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["--help"]
