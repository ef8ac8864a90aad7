;;; eglot.el --- a real Emacs eglot session against the language server  -*- lexical-binding: t -*-
;; scripts/editors/trial.sh runs it: emacs --batch -Q -l scripts/editors/eglot.el FILE.prompts
;; Env: KN_SERVER (the server's .js), KN_RESULTS (a file: one JSON line per check), KN_CACHE.
;; eglot 1.9 (Debian 12's elpa-eglot, for Emacs 28) or the eglot built into Emacs 29+.
(require 'package)
(package-initialize)
(add-to-list 'load-path "/usr/share/emacs/site-lisp/elpa/eglot-1.9")
(require 'eglot)
(require 'json)

(defvar kn-results (getenv "KN_RESULTS"))
(require 'lisp-mnt)
(defvar kn-editor (format "emacs %s, eglot %s" emacs-version
                          (with-temp-buffer (insert-file-contents (locate-library "eglot.el")) (lm-version))))
(defun kn-record (check ok detail)
  (let ((line (json-encode `((editor . ,kn-editor)
                             (check . ,check) (ok . ,(if ok t :json-false)) (detail . ,(or detail ""))))))
    (with-temp-buffer (insert line "\n") (append-to-file (point-min) (point-max) kn-results))))
(defun kn-wait (check seconds pred)
  "Let the server's messages in until PRED holds, for at most SECONDS."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    (or (funcall pred) (progn (kn-record check nil (format "timed out after %s s" seconds)) nil))))

(define-derived-mode prompts-mode prog-mode "Prompts"
  (setq-local comment-start "# "))
(add-to-list 'auto-mode-alist '("\\.prompts\\'" . prompts-mode))
(add-to-list 'eglot-server-programs
             `(prompts-mode . ("node" ,(getenv "KN_SERVER")
                               :initializationOptions (:settings (:onSave "attributions" :device "cpu" :cacheFolder ,(getenv "KN_CACHE"))))))

;; every diagnostic the server publishes, as eglot receives it
(defvar kn-diagnostics nil)
(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest args)
              (when (eq method 'textDocument/publishDiagnostics)
                (setq kn-diagnostics (append (plist-get args :diagnostics) nil)))))
(defun kn-codes () (mapcar (lambda (d) (format "%s" (plist-get d :code))) kn-diagnostics))

(condition-case err
    (let* ((file (car command-line-args-left))
           (buf (find-file-noselect file)))
      (setq command-line-args-left nil)
      (set-buffer buf)
      (apply #'eglot (eglot--guess-contact))
      (kn-wait "server starts" 30 (lambda () (eglot-current-server)))
      (let ((server (eglot-current-server)))
        ;; 1. syntax diagnostics as the file opens (its last prompt has two masks)
        (when (kn-wait "syntax diagnostics" 20 (lambda () (member "multiple-masks" (kn-codes))))
          (kn-record "syntax diagnostics" t (mapconcat #'identity (kn-codes) ", ")))
        ;; 2. model diagnostics after a save (eglot sends didSave from after-save-hook)
        (goto-char (point-max))
        (insert "# saved\n")
        (eglot--signal-textDocument/didChange)
        (save-buffer)
        (when (kn-wait "model diagnostics after save" 60 (lambda () (member "low-confidence" (kn-codes))))
          (kn-record "model diagnostics after save" t (mapconcat #'identity (kn-codes) ", ")))
        ;; 3. hover on the first prompt, in the format eglot declares
        (goto-char (point-min))
        (re-search-forward "^ +\\[en\\] The capital")
        (let* ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
               (value (plist-get (plist-get hover :contents) :value)))
          (kn-record "hover" (and value (string-match-p "P(Paris)" value))
                     (format "%s: %s" (plist-get (plist-get hover :contents) :kind)
                             (car (split-string (or value "") "\n")))))
        ;; 4. code lens: eglot shows none, so ask for them and run the Find lens's command eglot's way
        (let* ((lenses (append (jsonrpc-request server :textDocument/codeLens
                                                `(:textDocument ,(eglot--TextDocumentIdentifier)))
                               nil))
               (find (seq-find (lambda (l) (equal (plist-get (plist-get l :command) :command)
                                                  "knowledgeNeurons.server.findNeurons"))
                               lenses))
               (cmd (plist-get find :command)))
          (if (not find)
              (kn-record "code lens command runs" nil (format "no findNeurons lens among %d" (length lenses)))
            (let* ((result (eglot-execute-command server (intern (plist-get cmd :command)) (plist-get cmd :arguments)))
                   (facts (append (plist-get result :facts) nil))
                   (after (append (jsonrpc-request server :textDocument/codeLens
                                                   `(:textDocument ,(eglot--TextDocumentIdentifier)))
                                  nil)))
              (kn-record "code lens command runs" (and facts (plist-get (car facts) :groups))
                         (format "%s -> %s" (plist-get cmd :title)
                                 (mapconcat (lambda (l) (plist-get (plist-get l :command) :title)) after " | "))))))
        ;; 5. formatting
        (let ((before (buffer-string)))
          (eglot-format-buffer)
          (let ((changed (cl-loop for a in (split-string before "\n") for b in (split-string (buffer-string) "\n")
                                  unless (equal a b) collect (format "%S -> %S" a b))))
            (kn-record "formatting" changed (mapconcat #'identity changed "; "))))
        (set-buffer-modified-p nil)
        (ignore-errors (eglot-shutdown server))))
  (error (kn-record "script" nil (error-message-string err))))
(kill-emacs 0)
